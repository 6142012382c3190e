using Cki.Contracts.Documents;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Logging;
using Cki.Workflow.Messages;
using Cki.Workflow.Storage;
using Microsoft.Extensions.Logging;

namespace Cki.Workflow.Activities;

/// <summary>
/// Starts one attempt of a job: writes its spec to <c>runs/{runId}/jobs/{jobId}/spec.json</c> and hands it to the
/// dispatcher. The one place both start activities (<see cref="StartJobActivity"/>, <see cref="StartJobsActivity"/>) do it.
/// </summary>
internal static class JobLauncher
{
    /// <summary>Starts the attempt; throws <see cref="JobStartFailedException"/> when the dispatcher could not start it.</summary>
    public static async Task LaunchAsync(WorkflowStorage storage, IJobDispatcher dispatcher, ILogger logger, JobStart start)
    {
        var spec = start.Spec;
        var document = RunDocuments.JobSpec(spec.RunId, spec.JobId);
        await storage.WriteAsync(document, spec, CancellationToken.None).ConfigureAwait(false);
        try
        {
            await dispatcher.StartAsync(new JobLaunch(spec.RunId, spec.JobId, start.Attempt, storage.Url(document.Container, document.Name)) { Kind = spec.Kind }, CancellationToken.None)
                .ConfigureAwait(false);
        }
#pragma warning disable CA1031 // whatever stopped the dispatcher is this attempt's reason
        catch (Exception e) when (e is not (OperationCanceledException or ArgumentException))
#pragma warning restore CA1031
        {
            // The dispatcher has retried what it retries (an unreachable API server); the tracker counts this as a failed attempt.
            WorkflowLog.JobStartFailed(logger, spec.RunId, spec.JobId, start.Attempt, e.Message);
            throw new JobStartFailedException($"not started: {e.Message}", e);
        }

        WorkflowLog.JobDispatched(logger, spec.RunId, spec.JobId, start.Attempt);
    }
}
