using Cki.Workflow.Orchestration;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Cki.Functions.Orchestration;

/// <summary>
/// The orchestrator trigger of <see cref="JobBatchOrchestrator"/> (written by hand, as the generator is not available);
/// the run's orchestration calls it by the class name.
/// </summary>
public static class JobBatchOrchestratorFunction
{
    /// <summary>Runs one batch of a phase's jobs; replays run the same code with the same input.</summary>
    [Function(nameof(JobBatchOrchestrator))]
    public static Task<JobBatchOutcome> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<JobBatch>()
            ?? throw new InvalidOperationException($"Orchestration {context.InstanceId}: started without a {nameof(JobBatch)}.");
        return new JobBatchOrchestrator().RunAsync(context, input);
    }
}
