using Cki.Contracts.Runs;
using Cki.Workflow.Messages;
using Cki.Workflow.Orchestration;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Cki.Functions.Orchestration;

/// <summary>
/// The orchestrator trigger of <see cref="IntegrationOrchestrator"/>. Written by hand because the Durable Task source
/// generator that would emit it is not available; the name is the class name the starter schedules.
/// </summary>
public static class IntegrationOrchestratorFunction
{
    /// <summary>Runs one integration run; replays run the same code with the same input.</summary>
    [Function(nameof(IntegrationOrchestrator))]
    public static Task<RunSummary> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<RunRequest>()
            ?? throw new InvalidOperationException($"Orchestration {context.InstanceId}: started without a {nameof(RunRequest)}.");
        return new IntegrationOrchestrator().RunAsync(context, input);
    }
}
