using Cki.Contracts.Storage;
using Cki.Workflow.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask;

namespace Cki.Workflow.Triggers;

/// <summary>
/// The end of a settle period: starts the family's run when its blobs are still in the state the trigger saw (quiet
/// for the whole period), else nothing (a newer state has its own settle orchestration). Purges the family's settle
/// orchestrations that have ended, so that they do not pile up beside the runs.
/// </summary>
public sealed class SettleActivity(WorkflowStorage storage, RunStarter starter, DurableTaskClient client) : TaskActivity<SettleRequest, string>
{
    /// <inheritdoc />
    public override async Task<string> RunAsync(TaskActivityContext context, SettleRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancellationToken = CancellationToken.None;
        var listing = await storage.ListAsync(BlobLayout.CheckpointsContainer, $"{input.Family}/", cancellationToken).ConfigureAwait(false);
        var detail = SettleState.Of(input.Family, listing).Key == input.StateKey
            ? (await starter.StartAsync(input.Family, "blob", evenIfIncomplete: false, cancellationToken).ConfigureAwait(false)).Detail
            : "the family changed during the settle period; its newer state settles on its own";
        var ended = new OrchestrationQuery
        {
            InstanceIdPrefix = SettleOrchestrator.InstancePrefix(input.Family),
            Statuses = [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated],
        };
        var purge = new List<string>();
        await foreach (var instance in client.GetAllInstancesAsync(ended).ConfigureAwait(false))
        {
            purge.Add(instance.InstanceId);
        }

        foreach (var id in purge)
        {
            await client.PurgeInstanceAsync(id, cancellation: cancellationToken).ConfigureAwait(false);
        }

        return detail;
    }
}
