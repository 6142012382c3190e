using Cki.Contracts.Documents;
using Cki.Contracts.Storage;
using Cki.Workflow.Storage;

namespace Cki.Workflow.Termination;

/// <summary>
/// The terminated mark of a run (<c>runs/{runId}/terminated.json</c>), written before the run is terminated. Activities
/// that start jobs or write under <c>integrated/</c> look for it first: a termination also stops the work items the
/// orchestration had already scheduled, which the Durable runtime would otherwise still deliver. A look before writing
/// is not enough on its own: a writer that looked just before the mark was written may write after the terminator
/// cleared the run's folder. So writers also look AFTER their last write (<see cref="SweepIfTerminatedAsync"/>): since
/// the terminator writes the mark before it lists the folder, either that look sees the mark, or the terminator's
/// listing sees the writes.
/// </summary>
public static class RunTermination
{
    /// <summary>Whether the run was terminated.</summary>
    public static async Task<bool> IsTerminatedAsync(WorkflowStorage storage, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var name = BlobLayout.RunTerminated(runId);
        return (await storage.ListAsync(BlobLayout.RunsContainer, name, cancellationToken).ConfigureAwait(false)).Any(b => b.Name == name);
    }

    /// <summary>Throws when the run was terminated, so that nothing more is written for it.</summary>
    public static async Task EnsureNotTerminatedAsync(WorkflowStorage storage, string runId, string step, CancellationToken cancellationToken)
    {
        if (await IsTerminatedAsync(storage, runId, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"run {runId} was terminated; {step} writes nothing.");
        }
    }

    /// <summary>
    /// After a writer's last write under <c>integrated/{family}/{runId}/</c>: when the run was terminated meanwhile,
    /// removes its outputs and throws, so that nothing a terminated run wrote stays behind.
    /// </summary>
    public static async Task SweepIfTerminatedAsync(WorkflowStorage storage, string family, string runId, string step, CancellationToken cancellationToken)
    {
        if (await IsTerminatedAsync(storage, runId, cancellationToken).ConfigureAwait(false))
        {
            await RemoveOutputsAsync(storage, family, runId, cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException($"run {runId} was terminated during {step}; what it wrote is removed.");
        }
    }

    /// <summary>Removes the outputs under <c>integrated/{family}/{runId}/</c> unless the run is the published one.</summary>
    /// <returns>How many blobs were removed.</returns>
    public static async Task<int> RemoveOutputsAsync(WorkflowStorage storage, string family, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (await IsPublishedAsync(storage, family, runId, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var removed = 0;
        foreach (var blob in await storage.ListAsync(BlobLayout.IntegratedContainer, BlobLayout.IntegratedRunPrefix(family, runId), cancellationToken).ConfigureAwait(false))
        {
            removed += await storage.DeleteAsync(BlobLayout.IntegratedContainer, blob.Name, ifMatch: null, cancellationToken).ConfigureAwait(false) ? 1 : 0;
        }

        return removed;
    }

    /// <summary>Whether <c>latest.json</c> of <paramref name="family"/> points at <paramref name="runId"/>.</summary>
    public static async Task<bool> IsPublishedAsync(WorkflowStorage storage, string family, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return (await storage.ReadLatestAsync(family, cancellationToken).ConfigureAwait(false))?.Run?.RunId == runId;
    }
}
