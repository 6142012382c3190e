using Cki.Workflow.Dispatch;
using Cki.Workflow.Logging;
using Cki.Workflow.Messages;
using Cki.Workflow.Storage;
using Cki.Workflow.Termination;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Cki.Workflow.Activities;

/// <summary>
/// Ends what a failed run left going, as a termination does: drops its queued jobs and stops its running ones (and refuses
/// later starts of its jobs), waits for them to end, then removes its partial outputs under <c>integrated/{family}/{runId}/</c>
/// (never a published run's). A failed job thus costs no further GPU time and leaves no half-written model behind.
/// </summary>
public sealed class StopFailedRunActivity(WorkflowStorage storage, IJobDispatcher dispatcher, ILogger<StopFailedRunActivity> logger)
    : TaskActivity<FailedRun, FailedRunCleanup>
{
    /// <inheritdoc />
    public override async Task<FailedRunCleanup> RunAsync(TaskActivityContext context, FailedRun input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var stopped = await dispatcher.CancelRunAsync(input.RunId, CancellationToken.None).ConfigureAwait(false);
        var removed = await RunTermination.RemoveOutputsAsync(storage, input.Family, input.RunId, CancellationToken.None).ConfigureAwait(false);
        WorkflowLog.FailedRunStopped(logger, input.RunId, stopped, removed);
        return new FailedRunCleanup(stopped, removed);
    }
}
