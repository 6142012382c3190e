using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Cki.Workflow.Orchestration;

/// <summary>What became of a batch whose outcome event has not come.</summary>
/// <param name="Outcome">The batch's outcome, when it completed.</param>
/// <param name="Failure">Why the batch's orchestration ended without an outcome (failed or terminated), or null.</param>
public sealed record JobBatchCheck(JobBatchOutcome? Outcome, string? Failure);

/// <summary>
/// Starts a <see cref="JobBatchOrchestrator"/> as an orchestration instance of its own, once (a retried start finds it).
/// Not a sub-orchestration: the gRPC sidecar of cki-host over the Azure Storage provider loses a sub-orchestration's
/// completion (its parent never resumes), while an instance started by the client and an event it sends work in both hosts.
/// </summary>
public sealed class StartBatchActivity(DurableTaskClient client) : TaskActivity<JobBatch, bool>
{
    /// <inheritdoc />
    public override async Task<bool> RunAsync(TaskActivityContext context, JobBatch input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (await client.GetInstanceAsync(input.InstanceId, CancellationToken.None).ConfigureAwait(false) is not null)
        {
            return false;
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(JobBatchOrchestrator), input,
                new StartOrchestrationOptions(input.InstanceId).WithDedupeStatuses(Enum.GetValues<OrchestrationRuntimeStatus>()), CancellationToken.None).ConfigureAwait(false);
            return true;
        }
#pragma warning disable CA1031 // the dedupe's error type depends on the client's transport: the instance existing is the answer
        catch (Exception)
#pragma warning restore CA1031
        {
            if (await client.GetInstanceAsync(input.InstanceId, CancellationToken.None).ConfigureAwait(false) is not null)
            {
                return false;
            }

            throw;
        }
    }
}

/// <summary>Asks after a batch whose outcome event has not come: its output when it completed, why it ended otherwise.</summary>
public sealed class ProbeBatchActivity(DurableTaskClient client) : TaskActivity<string, JobBatchCheck>
{
    /// <inheritdoc />
    public override async Task<JobBatchCheck> RunAsync(TaskActivityContext context, string input)
    {
        var batch = await client.GetInstanceAsync(input, getInputsAndOutputs: true, CancellationToken.None).ConfigureAwait(false);
        return batch switch
        {
            null or { IsCompleted: false } => new JobBatchCheck(null, null),
            { RuntimeStatus: OrchestrationRuntimeStatus.Completed } => new JobBatchCheck(batch.ReadOutputAs<JobBatchOutcome>(), null),
            _ => new JobBatchCheck(null, $"batch {input} ended {batch.RuntimeStatus}: {batch.FailureDetails?.ErrorMessage ?? batch.SerializedOutput}"),
        };
    }
}
