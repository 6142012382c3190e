using Cki.Contracts.Documents;
using Cki.Contracts.Storage;
using Cki.Workflow.Logging;
using Cki.Workflow.Messages;
using Cki.Workflow.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Cki.Workflow.Triggers;

/// <summary>
/// The job-result trigger's body, the same in both hosts: a new <c>runs/{runId}/jobs/{jobId}/result.json</c>
/// raises <c>job:{jobId}</c> with the result on run <c>{runId}</c>, or on the batch of it that waits for the job (<see cref="JobEvents.WaiterAsync"/>).
/// </summary>
public sealed class JobResultEvents(WorkflowStorage storage, DurableTaskClient client, ILogger<JobResultEvents> logger)
{
    /// <summary>Raises the event for a blob of the runs container; false when the name is not a job result.</summary>
    public Task<bool> RaiseAsync(string name, CancellationToken cancellationToken) => RaiseAsync(name, null, cancellationToken);

    /// <summary>
    /// Raises the event for a blob of the runs container, asking <paramref name="waiters"/> (shared by a pass over many
    /// results) which orchestration waits for it; false when the name is not a job result.
    /// </summary>
    public async Task<bool> RaiseAsync(string name, RunWaiters? waiters, CancellationToken cancellationToken)
    {
        if (!BlobLayout.TryParseJobResult(name, out var runId, out var jobId))
        {
            return false;
        }

        var result = await storage.ReadAsync(RunDocuments.JobResult(runId, jobId), cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            return false;
        }

        var waiter = await (waiters is null ? JobEvents.WaiterAsync(client, runId, cancellationToken) : waiters.OfAsync(runId, cancellationToken)).ConfigureAwait(false);
        await client.RaiseEventAsync(waiter, JobEvents.Name(jobId), result, cancellationToken).ConfigureAwait(false);
        WorkflowLog.JobResultRaised(logger, runId, jobId, result.Succeeded ? "succeeded" : "failed");
        return true;
    }
}
