using Cki.Workflow.Dispatch;
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

        await JobLauncher.LaunchAsync(storage, dispatcher, logger, input).ConfigureAwait(false);
        return true;
    }
}
