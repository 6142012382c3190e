using Cki.Contracts.Documents;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Logging;
using Cki.Workflow.Messages;
using Cki.Workflow.Storage;
using Cki.Workflow.Termination;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Cki.Workflow.Activities;

/// <summary>
/// Writes a job's spec to storage and hands the job to the dispatcher; false (and nothing started) when the run was
/// terminated. A dispatcher that cannot start the job fails the activity with <see cref="JobStartFailedException"/>.
/// </summary>
public sealed class StartJobActivity(WorkflowStorage storage, IJobDispatcher dispatcher, ILogger<StartJobActivity> logger) : TaskActivity<JobStart, bool>
{
    /// <inheritdoc />
    public override async Task<bool> RunAsync(TaskActivityContext context, JobStart input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var spec = input.Spec;
        if (await RunTermination.IsTerminatedAsync(storage, spec.RunId, CancellationToken.None).ConfigureAwait(false))
        {
            // Delivered after the run was terminated (the orchestration had scheduled it before): start nothing.
            return false;
        }

        var document = RunDocuments.JobSpec(spec.RunId, spec.JobId);
        await storage.WriteAsync(document, spec, CancellationToken.None).ConfigureAwait(false);
        try
        {
            await dispatcher.StartAsync(new JobLaunch(spec.RunId, spec.JobId, input.Attempt, storage.Url(document.Container, document.Name)) { Kind = spec.Kind }, CancellationToken.None)
                .ConfigureAwait(false);
        }
#pragma warning disable CA1031 // whatever stopped the dispatcher is this attempt's reason
        catch (Exception e) when (e is not (OperationCanceledException or ArgumentException))
#pragma warning restore CA1031
        {
            // The dispatcher has retried what it retries (an unreachable API server); the tracker counts this as a failed attempt.
            WorkflowLog.JobStartFailed(logger, spec.RunId, spec.JobId, input.Attempt, e.Message);
            throw new JobStartFailedException($"not started: {e.Message}", e);
        }

        WorkflowLog.JobDispatched(logger, spec.RunId, spec.JobId, input.Attempt);
        return true;
    }
}
