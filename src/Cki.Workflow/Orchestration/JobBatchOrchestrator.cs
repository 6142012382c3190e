using Cki.Contracts.Jobs;
using Cki.Contracts.Runs;
using Cki.Workflow.Messages;
using Microsoft.DurableTask;

namespace Cki.Workflow.Orchestration;

/// <summary>Some of one phase's jobs, run by their own orchestration.</summary>
/// <param name="InstanceId">The batch's instance id (<see cref="JobBatchOrchestrator.InstanceId"/>).</param>
/// <param name="Run">The run's instance id, which the batch sends its outcome to.</param>
/// <param name="Phase">The phase (its status says it).</param>
/// <param name="Settings">How jobs are waited for.</param>
/// <param name="Specs">The jobs, in the phase's order.</param>
public sealed record JobBatch(string InstanceId, string Run, string Phase, RunSettings Settings, IReadOnlyList<JobSpec> Specs);

/// <summary>What a batch did.</summary>
/// <param name="Results">Every job's result in order, when every job succeeded; else empty.</param>
/// <param name="Records">The record of every job that ended, as the run's summary lists them.</param>
/// <param name="Error">Why the run fails (the first failed job's reason, as the run's own fan-out would give it), or null.</param>
public sealed record JobBatchOutcome(IReadOnlyList<JobResult> Results, IReadOnlyList<JobRecord> Records, string? Error);

/// <summary>
/// Runs a batch of one phase's jobs for <see cref="IntegrationOrchestrator"/> (docs/scale.md), exactly as the run's own
/// fan-out would (start, wait for the result event raced against a durable timer, probe, retry), so that the run's
/// history grows with its batches instead of its jobs. A failed job ends the batch with its reason rather than failing
/// the orchestration, so the run keeps the records of the batch's jobs. The run starts it (<see cref="StartBatchActivity"/>)
/// and waits for the outcome it sends (<see cref="JobEvents.BatchEnded"/>). Replay-safe: only the orchestration context.
/// </summary>
public sealed class JobBatchOrchestrator : TaskOrchestrator<JobBatch, JobBatchOutcome>
{
    // Run ids are {family}-{hash} and families start with [a-z0-9]: no run's prefix matches a batch's id.
    private const string Prefix = "batch@";

    /// <summary>The instance id of batch <paramref name="ordinal"/> (from 1) of <paramref name="phase"/> of run <paramref name="runId"/>.</summary>
    public static string InstanceId(string runId, string phase, int ordinal) => $"{InstancePrefix(runId)}{phase}-{ordinal:D4}";

    /// <summary>The prefix of every batch instance of run <paramref name="runId"/>.</summary>
    public static string InstancePrefix(string runId) => $"{Prefix}{runId}@";

    /// <summary>Whether an instance is a batch of some run (listed with the runs, it is no run of its own).</summary>
    public static bool IsBatchInstance(string instanceId) => instanceId?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    /// <inheritdoc />
    public override async Task<JobBatchOutcome> RunAsync(TaskOrchestrationContext context, JobBatch input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var jobs = new JobTracker(context, input.Settings);
        jobs.Phase(input.Phase);
        JobBatchOutcome outcome;
        try
        {
            outcome = new JobBatchOutcome(await jobs.RunAllAsync(input.Specs), jobs.Records, null);
        }
        catch (Exception e) when (e is TaskFailedException or RunFailedException)
        {
            outcome = new JobBatchOutcome([], jobs.Records, RunFailedException.ReasonOf(e));
        }

        context.SendEvent(input.Run, JobEvents.BatchEnded(context.InstanceId), outcome);
        return outcome;
    }
}
