using Cki.Workflow.Orchestration;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Cki.Functions.Orchestration;

/// <summary>
/// The triggers of <see cref="JobBatchOrchestrator"/> and of the activities that start it and ask after it (written by
/// hand, as the generator is not available); the activities get the Durable client from their binding.
/// </summary>
public static class JobBatchFunctions
{
    /// <summary>Runs one batch of a phase's jobs; replays run the same code with the same input.</summary>
    [Function(nameof(JobBatchOrchestrator))]
    public static Task<JobBatchOutcome> OrchestrateAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<JobBatch>()
            ?? throw new InvalidOperationException($"Orchestration {context.InstanceId}: started without a {nameof(JobBatch)}.");
        return new JobBatchOrchestrator().RunAsync(context, input);
    }

    /// <summary>Starts a batch's orchestration once.</summary>
    [Function(nameof(StartBatchActivity))]
    public static Task<bool> StartAsync([ActivityTrigger] JobBatch input, [DurableClient] DurableTaskClient client, FunctionContext context) =>
        new StartBatchActivity(client).RunAsync(FunctionActivityContext.Of(context), input);

    /// <summary>Asks after a batch whose outcome event has not come.</summary>
    [Function(nameof(ProbeBatchActivity))]
    public static Task<JobBatchCheck> ProbeAsync([ActivityTrigger] string input, [DurableClient] DurableTaskClient client, FunctionContext context) =>
        new ProbeBatchActivity(client).RunAsync(FunctionActivityContext.Of(context), input);
}
