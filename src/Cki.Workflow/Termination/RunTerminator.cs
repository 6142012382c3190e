using Cki.Contracts.Documents;
using Cki.Contracts.Runs;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Runs;
using Cki.Workflow.Storage;
using Microsoft.DurableTask.Client;

namespace Cki.Workflow.Termination;

/// <summary>What a termination did.</summary>
/// <param name="Found">Whether the run exists.</param>
/// <param name="Terminated">Whether it was still running and is now terminated (false: it had ended already).</param>
/// <param name="JobsStopped">Queued or running jobs that were dropped or stopped.</param>
/// <param name="OutputsRemoved">Partial outputs removed from <c>integrated/{family}/{runId}/</c>.</param>
public sealed record TerminationOutcome(bool Found, bool Terminated, int JobsStopped, int OutputsRemoved);

/// <summary>
/// Terminates a run so that it starts nothing more and publishes nothing: marks it terminated (the mark that job starts
/// and output writers look for, since the runtime still delivers work the orchestration had scheduled), stops its
/// queued and running jobs and waits for them to end, terminates the orchestration, and removes the partial outputs
/// under <c>integrated/{family}/{runId}/</c>. A run that has already published (<c>latest.json</c> points at it) is
/// done and is left alone.
/// </summary>
public sealed class RunTerminator(DurableTaskClient client, WorkflowStorage storage, IJobDispatcher? dispatcher = null)
{
    /// <summary>Terminates <paramref name="runId"/> with <paramref name="reason"/>, asked by <paramref name="by"/> (when known).</summary>
    public async Task<TerminationOutcome> TerminateAsync(string runId, string reason, CancellationToken cancellationToken, string? by = null)
    {
        var instance = await client.GetInstanceAsync(runId, cancellationToken).ConfigureAwait(false);
        if (instance is null)
        {
            return new TerminationOutcome(false, false, 0, 0);
        }

        if (instance.IsCompleted)
        {
            return new TerminationOutcome(true, false, 0, 0);
        }

        var family = RunIds.FamilyOf(runId);
        if (await RunTermination.IsPublishedAsync(storage, family, runId, cancellationToken).ConfigureAwait(false))
        {
            return new TerminationOutcome(true, false, 0, 0); // It published before the terminate came: it is done.
        }

        await storage.WriteAsync(RunDocuments.Terminated(runId), new TerminationMark(runId, reason, DateTimeOffset.UtcNow, by), cancellationToken).ConfigureAwait(false);
        var stopped = dispatcher is null ? 0 : await dispatcher.CancelRunAsync(runId, cancellationToken).ConfigureAwait(false);
        await client.TerminateInstanceAsync(runId, new TerminateInstanceOptions { Output = reason }, cancellationToken).ConfigureAwait(false);
        var removed = await RunTermination.RemoveOutputsAsync(storage, family, runId, cancellationToken).ConfigureAwait(false);
        return new TerminationOutcome(true, true, stopped, removed);
    }
}
