using Cki.Functions.Hosting;
using Cki.Workflow.Storage;
using Cki.Workflow.Triggers;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask;

namespace Cki.Functions.Orchestration;

/// <summary>
/// The triggers of <see cref="SettleOrchestrator"/> and <see cref="SettleActivity"/> (written by hand, as the
/// generator is not available); the activity gets the Durable client from its binding, to start the run.
/// </summary>
public sealed class SettleFunctions(WorkflowStorage storage, RunStarterFactory starters)
{
    /// <summary>Waits out one state's settle period.</summary>
    [Function(nameof(SettleOrchestrator))]
    public static Task<string> OrchestrateAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<SettleRequest>()
            ?? throw new InvalidOperationException($"Orchestration {context.InstanceId}: started without a {nameof(SettleRequest)}.");
        return new SettleOrchestrator().RunAsync(context, input);
    }

    /// <summary>Starts the run when the family stayed in the settled state.</summary>
    [Function(nameof(SettleActivity))]
    public Task<string> SettleAsync([ActivityTrigger] SettleRequest input, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        return new SettleActivity(storage, starters.Create(client), client).RunAsync(FunctionActivityContext.Of(context), input);
    }
}
