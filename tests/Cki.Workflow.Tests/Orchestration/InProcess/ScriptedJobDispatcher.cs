using System.Collections.Concurrent;
using System.Diagnostics;
using Cki.Contracts.Runs;
using Cki.Contracts.Documents;
using Cki.Contracts.Jobs;
using Cki.Contracts.Storage;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Storage;

namespace Cki.Workflow.Tests.Orchestration.InProcess;

/// <summary>
/// A test double of <see cref="IJobDispatcher"/>: no process runs. Each start plays the <see cref="JobOutcome"/> its
/// script gives for that launch, writing what a real job would write (outputs, then <c>result.json</c>) and raising
/// the result's event through <see cref="RaiseEvent"/>, as the result trigger does in the hosts.
/// </summary>
public sealed class ScriptedJobDispatcher(WorkflowStorage storage) : IJobDispatcher
{
    private readonly ConcurrentDictionary<(string RunId, string JobId), Played> _jobs = new();
    private readonly ConcurrentDictionary<string, bool> _cancelledRuns = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<JobLaunch> _starts = new();
    private readonly ConcurrentQueue<JobLaunch> _refused = new();

    /// <summary>What each start does; every job succeeds unless the test says otherwise.</summary>
    public Func<JobLaunch, JobOutcome> Script { get; set; } = _ => JobOutcome.Succeeds;

    /// <summary>
    /// The exception a start throws instead of starting the job (as the Kubernetes dispatcher does when its API server
    /// cannot be reached after its retries, or refuses the identity), or null to start it; nothing throws unless the test says so.
    /// </summary>
    public Func<JobLaunch, Exception?> StartError { get; set; } = _ => null;

    /// <summary>
    /// The exception a probe of a job throws instead of answering (as the Kubernetes dispatcher does when its API server
    /// stays throttled through its retries), or null to answer; given the job id. Nothing throws unless the test says so.
    /// </summary>
    public Func<string, Exception?> ProbeError { get; set; } = _ => null;

    /// <summary>The error a <see cref="JobOutcome.Fails"/> job reports.</summary>
    public string FailureReason { get; set; } = "tensor w: scripted failure";

    /// <summary>Raises a job's result event on its run (set once the Durable Task client exists).</summary>
    public Func<string, CancellationToken, Task>? RaiseEvent { get; set; }

    /// <summary>Every start the dispatcher accepted, in order.</summary>
    public IReadOnlyList<JobLaunch> Starts => [.. _starts];

    /// <summary>Runs the dispatcher was asked to stop.</summary>
    public IReadOnlyCollection<string> CancelledRuns => [.. _cancelledRuns.Keys];

    /// <summary>The starts of one job that threw (<see cref="StartError"/>), in order.</summary>
    public IReadOnlyList<JobLaunch> RefusedOf(string jobId) => [.. _refused.Where(s => s.JobId == jobId)];

    /// <summary>The starts of one job, in order.</summary>
    public IReadOnlyList<JobLaunch> StartsOf(string jobId) => [.. _starts.Where(s => s.JobId == jobId)];

    /// <inheritdoc />
    public async Task StartAsync(JobLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (_cancelledRuns.ContainsKey(launch.RunId))
        {
            return; // A terminated run's later starts are refused, as the local dispatcher does.
        }

        if (StartError(launch) is { } error)
        {
            _refused.Enqueue(launch);
            throw error;
        }

        _starts.Enqueue(launch);
        var outcome = Script(launch);
        _jobs[(launch.RunId, launch.JobId)] = new Played(outcome, Stopwatch.StartNew());
        switch (outcome)
        {
            case JobOutcome.Succeeds:
                await WriteResultAsync(launch, succeeded: true, cancellationToken).ConfigureAwait(false);
                await RaiseAsync(launch, cancellationToken).ConfigureAwait(false);
                break;
            case JobOutcome.SucceedsEventLost:
                await WriteResultAsync(launch, succeeded: true, cancellationToken).ConfigureAwait(false);
                break;
            case JobOutcome.Fails:
                await WriteResultAsync(launch, succeeded: false, cancellationToken).ConfigureAwait(false);
                await RaiseAsync(launch, cancellationToken).ConfigureAwait(false);
                break;
            case JobOutcome.Crashes or JobOutcome.Hangs or JobOutcome.LostAfterStart:
                await MarkStartedAsync(launch, cancellationToken).ConfigureAwait(false);
                break;
            default:
                break; // Lost before it began: nothing written.
        }
    }

    /// <inheritdoc />
    public Task<JobProbe> ProbeAsync(string runId, string jobId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (ProbeError(jobId) is { } error)
        {
            return Task.FromException<JobProbe>(error);
        }

        if (!_jobs.TryGetValue((runId, jobId), out var job) || job.Outcome is JobOutcome.LostBeforeStart or JobOutcome.LostAfterStart || job.Stopped)
        {
            return Task.FromResult(new JobProbe(JobState.Lost, "the dispatcher has no record of it"));
        }

        return Task.FromResult(job.Outcome switch
        {
            JobOutcome.Crashes => new JobProbe(JobState.Exited, "exit code 137"),
            // At least two "running" answers first, however slow the machine, so that the waiting goes round more than once.
            JobOutcome.Hangs when Interlocked.Increment(ref job.Probes) > 2 && job.Clock.Elapsed > timeout =>
                new JobProbe(JobState.TimedOut, $"ran past its timeout of {timeout.TotalSeconds} s; stopped"),
            JobOutcome.Hangs => new JobProbe(JobState.Running, "running"),
            _ => new JobProbe(JobState.Exited, "exit code 0"),
        });
    }

    /// <inheritdoc />
    public Task<int> CancelRunAsync(string runId, CancellationToken cancellationToken)
    {
        _cancelledRuns[runId] = true;
        var stopped = 0;
        foreach (var (key, job) in _jobs)
        {
            if (key.RunId == runId && job.Outcome == JobOutcome.Hangs && !job.Stopped)
            {
                job.Stopped = true;
                stopped++;
            }
        }

        return Task.FromResult(stopped);
    }

    private async Task RaiseAsync(JobLaunch launch, CancellationToken cancellationToken)
    {
        var raise = RaiseEvent ?? throw new InvalidOperationException("RaiseEvent is not set.");
        await raise(BlobLayout.JobResult(launch.RunId, launch.JobId), cancellationToken).ConfigureAwait(false);
    }

    // What a real job writes: its started mark, its outputs, then result.json last.
    private async Task WriteResultAsync(JobLaunch launch, bool succeeded, CancellationToken cancellationToken)
    {
        await MarkStartedAsync(launch, cancellationToken).ConfigureAwait(false);
        var kind = launch.JobId[..launch.JobId.IndexOf('-', StringComparison.Ordinal)];
        var outputs = new List<string>();
        var figures = new Dictionary<string, double>();
        if (succeeded && kind == "profile")
        {
            // Assembly reads each input's files and hashes from its profile.
            var name = BlobLayout.JobOutput(launch.RunId, launch.JobId, "profile.json");
            var profile = new ProfileDocument { Checkpoint = $"checkpoints/{launch.JobId}", Files = [new ProfiledFile($"checkpoints/{launch.JobId}/model.safetensors", new string('0', 64))] };
            await storage.WriteSmallAsync(BlobLayout.RunsContainer, name, JobJson.Serialize(profile), null, cancellationToken).ConfigureAwait(false);
            outputs.Add(BlobLayout.Qualified(BlobLayout.RunsContainer, name));
            figures[JobFigures.NonFinite] = 0;
        }

        if (succeeded && kind == "splice")
        {
            // A splice job writes its shard's files straight into the run's output folder; the summary stands for them.
            var spec = await storage.ReadSmallAsync(BlobLayout.RunsContainer, BlobLayout.JobSpec(launch.RunId, launch.JobId), JobJson.MaxDocumentBytes, cancellationToken)
                .ConfigureAwait(false);
            var splice = (SpliceJobSpec)JobJson.Deserialize<JobSpec>(spec!.Value.Content, "spec.json");
            var (container, folder) = BlobLayout.Split(splice.OutputFolder);
            var name = folder + CheckpointFileNames.CompatibilitySummaryBeside(CheckpointFileNames.Shard(splice.Shard, splice.ShardCount));
            var summary = new CompatibilitySummary("global-only", splice.Inputs, [.. splice.Tensors.Select(t => new TensorCompatibility(t, [], [], []))]);
            await storage.WriteAsync(RunDocuments.Compatibility(BlobLayout.Qualified(container, name)), summary, cancellationToken).ConfigureAwait(false);
            outputs.Add(BlobLayout.Qualified(container, name));
        }

        var result = new JobResult
        {
            RunId = launch.RunId, JobId = launch.JobId, Kind = kind, Succeeded = succeeded, Error = succeeded ? null : FailureReason, Seconds = 0.01,
            Figures = figures, Outputs = outputs, Tool = "scripted-test-double",
        };
        await storage.WriteSmallAsync(BlobLayout.RunsContainer, BlobLayout.JobResult(launch.RunId, launch.JobId), JobJson.Serialize(result), null, cancellationToken)
            .ConfigureAwait(false);
    }

    // The mark names the spec this attempt read, so a probe counts the attempt as begun.
    private async Task MarkStartedAsync(JobLaunch launch, CancellationToken cancellationToken)
    {
        var spec = await storage.ReadSmallAsync(BlobLayout.RunsContainer, BlobLayout.JobSpec(launch.RunId, launch.JobId), JobJson.MaxDocumentBytes, cancellationToken)
            .ConfigureAwait(false) ?? throw new InvalidOperationException($"no spec for {launch.JobId}");
        var mark = new JobStartedMark(spec.ETag, DateTimeOffset.UtcNow, "test", Environment.ProcessId);
        await storage.WriteSmallAsync(BlobLayout.RunsContainer, BlobLayout.JobStarted(launch.RunId, launch.JobId), JobJson.Serialize(mark), null, cancellationToken)
            .ConfigureAwait(false);
    }

    private sealed class Played(JobOutcome outcome, Stopwatch clock)
    {
        public JobOutcome Outcome { get; } = outcome;

        public Stopwatch Clock { get; } = clock;

        public bool Stopped { get; set; }

#pragma warning disable CA1051 // a counter for Interlocked
        public int Probes;
#pragma warning restore CA1051
    }
}
