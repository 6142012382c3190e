using Cki.Contracts.Storage;
using Cki.Workflow.Storage;

namespace Cki.Workflow.Termination;

/// <summary>
/// The terminated mark of a run (<c>runs/{runId}/terminated.json</c>), written before the run is terminated. Activities
/// that start jobs or write under <c>integrated/</c> look for it first: a termination also stops the work items the
/// orchestration had already scheduled, which the Durable runtime would otherwise still deliver.
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
}
