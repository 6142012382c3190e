using Cki.Contracts.Storage;
using Cki.Workflow.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask;

namespace Cki.Workflow.Triggers;

/// <summary>
/// The checkpoint trigger's body, the same in both hosts: a new or changed blob under <c>checkpoints/{family}/</c>
/// starts the family's run at once when the producer's <c>_READY</c> marker is its newest blob (or there is no settle
/// period), and otherwise a <see cref="SettleOrchestrator"/> for the family's current state, which starts the run once
/// the family has been quiet for the settle period. Explicit starts and the nightly pass go to <see cref="RunStarter"/>
/// directly and never wait.
/// </summary>
public sealed class CheckpointTrigger(WorkflowStorage storage, RunStarter starter, DurableTaskClient client, double settleSeconds)
{
    /// <summary>Handles a change under <c>checkpoints/{family}/</c>.</summary>
    public async Task<StartOutcome> FireAsync(string family, CancellationToken cancellationToken)
    {
        if (!NameRule.IsValid(family))
        {
            // Blobs under a folder that cannot be a family are never integrated: no settle, no run, no instance id from it.
            return new StartOutcome(family, null, false,
                $"{BlobLayout.CheckpointsContainer}/{family}/ is not a family: a family name is {NameRule.Description}; nothing runs for it.");
        }

        var listing = await storage.ListAsync(BlobLayout.CheckpointsContainer, $"{family}/", cancellationToken).ConfigureAwait(false);
        var state = SettleState.Of(family, listing);
        if (state.MarkedReady || settleSeconds <= 0)
        {
            return await starter.StartAsync(family, "blob", evenIfIncomplete: false, cancellationToken).ConfigureAwait(false);
        }

        var id = SettleOrchestrator.InstanceId(family, state.Key);
        var settling = new StartOutcome(family, null, false,
            $"settling: the run starts once the family has been quiet for {settleSeconds} s, or at once on {BlobLayout.CheckpointsContainer}/{BlobLayout.ReadyMarker(family)}");
        if (await client.GetInstanceAsync(id, cancellationToken).ConfigureAwait(false) is not null)
        {
            return settling;
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(SettleOrchestrator), new SettleRequest(family, state.Key, settleSeconds),
                new StartOrchestrationOptions(id).WithDedupeStatuses(Enum.GetValues<OrchestrationRuntimeStatus>()), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Another trigger scheduled this state's settle orchestration meanwhile (one is enough), or the start failed.
            if (await client.GetInstanceAsync(id, cancellationToken).ConfigureAwait(false) is null)
            {
                throw;
            }
        }

        return settling;
    }
}
