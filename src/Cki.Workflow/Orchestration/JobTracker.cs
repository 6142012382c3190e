using Cki.Contracts.Jobs;
using Cki.Contracts.Runs;
using Cki.Workflow.Activities;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Messages;
using Microsoft.DurableTask;

namespace Cki.Workflow.Orchestration;

/// <summary>
/// Runs jobs for the orchestrator: starts each through the dispatcher, waits for its event <c>job:{jobId}</c>
/// raced against a durable timer, asks after it when the timer wins (a result whose event was lost, still
/// queued or running, crashed, hung, lost), retries a bounded number of times (a start the dispatcher could not make
/// is a failed attempt too), and keeps the custom status
/// (phase, jobs done/total) current. Deterministic: it only uses the orchestration context.
/// </summary>
internal sealed class JobTracker(TaskOrchestrationContext context, RunSettings settings)
{
    // Lost jobs that never started are started again without using up an attempt, but not forever.
    private const int MaxRestartsOfUnstarted = 10;

    // A batch is asked after every this many probe intervals when its outcome has not come.
    private const int BatchProbeIntervals = 6;

    private readonly List<JobRecord> _records = [];
    private string _phase = RunPhases.Validate;
    private int _started;
    private string? _batch;
    private string? _stopped;

    /// <summary>Every finished job so far.</summary>
    public IReadOnlyList<JobRecord> Records => _records;

    /// <summary>Enters a phase.</summary>
    public void Phase(string phase)
    {
        _phase = phase;
        Publish(null);
    }

    /// <summary>Marks the run failed in its status.</summary>
    public void Fail(string reason)
    {
        _phase = RunOutcomes.Failed;
        Publish(reason);
    }

    /// <summary>
    /// Runs jobs in parallel (fan-out) and returns their results in order (fan-in). The first job that fails fails the
    /// fan-out at once: the others start nothing more (no new attempt, no probe), and the caller stops what still runs
    /// (<see cref="Activities.StopFailedRunActivity"/>).
    /// </summary>
    public async Task<IReadOnlyList<JobResult>> RunAllAsync(IReadOnlyList<JobSpec> specs)
    {
        // The group's shared timer is cancelled once the fan-out is over: a timer left pending keeps the orchestration from ending.
        using var groupWait = new CancellationTokenSource();
        var jobs = settings.GroupedStarts && specs.Count > 0 ? await StartGroupAsync(specs, groupWait.Token) : specs.Select(s => RunAsync(s)).ToList();
        var pending = jobs.ToList();
        try
        {
            while (pending.Count > 0)
            {
                var done = await Task.WhenAny(pending);
                pending.Remove(done);
                if (done.IsFaulted)
                {
                    _stopped ??= done.Exception?.InnerException?.Message ?? "a job failed";
                    await done; // throws the job's failure
                }
            }
        }
        finally
        {
            // Cancel(), not CancelAsync(): see EventOrTimeoutAsync.
#pragma warning disable CA1849
            groupWait.Cancel();
#pragma warning restore CA1849
        }

        return jobs.Select(j => j.Result).ToList();
    }

    /// <summary>
    /// Runs a phase's jobs as <see cref="RunAllAsync"/> does, but more than <see cref="RunSettings.JobsPerBatch"/> of them in
    /// batches, each a <see cref="JobBatchOrchestrator"/>, one after another, so that this orchestration's history grows
    /// with the batches, not the jobs. A failed job fails the run with its reason when its batch has ended; later batches
    /// do not start. The status counts the whole phase's jobs as started at once and names the batch in flight.
    /// </summary>
    public async Task<IReadOnlyList<JobResult>> RunBatchedAsync(IReadOnlyList<JobSpec> specs)
    {
        var size = settings.JobsPerBatch;
        if (size <= 0 || specs.Count <= size)
        {
            return await RunAllAsync(specs);
        }

        _started += specs.Count;
        var results = new List<JobResult>(specs.Count);
        for (var first = 0; first < specs.Count; first += size)
        {
            var batch = new JobBatch(JobBatchOrchestrator.InstanceId(context.InstanceId, _phase, (first / size) + 1), context.InstanceId, _phase, settings,
                specs.Skip(first).Take(size).ToList());
            _batch = batch.InstanceId;
            Publish(null);
            await context.CallActivityAsync<bool>(nameof(StartBatchActivity), batch, StepRetries.Options);
            var outcome = await WaitForBatchAsync(batch.InstanceId);
            _batch = null;
            _records.AddRange(outcome.Records);
            Publish(null);
            if (outcome.Error is not null)
            {
                throw new RunFailedException(outcome.Error);
            }

            results.AddRange(outcome.Results);
        }

        return results;
    }

    /// <summary>Runs one job to a successful result, or throws <see cref="RunFailedException"/> with the reason.</summary>
    /// <param name="spec">The job.</param>
    /// <param name="first">How its first attempt's start went when a group start made it, with the wait the group shares; null to start it here.</param>
    public async Task<JobResult> RunAsync(JobSpec spec, GroupStart? first = null)
    {
        _started++;
        Publish(null);
        var reasons = new List<string>();
        var restarts = 0;
        for (var attempt = 1; attempt <= settings.MaxAttempts; attempt++)
        {
            EnsureNotStopped(spec);
            var group = first;
            first = null; // a group start stands for the first start only, not for a restart of it
            if ((group is null ? await StartAsync(spec, attempt) : Started(spec, group.Outcome)) is { } notStarted)
            {
                reasons.Add($"attempt {attempt}: {notStarted}");
                if (attempt < settings.MaxAttempts)
                {
                    // Give the dispatcher's backend (e.g. the Kubernetes API server) a probe interval before the next attempt.
                    await context.CreateTimer(TimeSpan.FromSeconds(settings.ProbeIntervalSeconds), CancellationToken.None);
                }

                continue;
            }

            var (result, reason, started) = await WaitAsync(spec, group?.FirstWait);
            if (result is not null)
            {
                _records.Add(new JobRecord(spec.JobId, spec.Kind, attempt, result.Seconds, result.Succeeded));
                Publish(null);
                return result.Succeeded ? result
                    : result.Cause == JobFailureCauses.InputChanged ? throw new RunFailedException(result.Error ?? "an input changed during the run.")
                    : throw new RunFailedException($"job {spec.JobId} ({spec.Kind}) failed: {result.Error}");
            }

            if (!started && restarts < MaxRestartsOfUnstarted)
            {
                // Lost before it began (queued on a host that went down): start the same attempt again.
                restarts++;
                attempt--;
                continue;
            }

            reasons.Add($"attempt {attempt}: {reason}");
        }

        _records.Add(new JobRecord(spec.JobId, spec.Kind, settings.MaxAttempts, 0, false));
        throw new RunFailedException($"job {spec.JobId} ({spec.Kind}) gave no result after {settings.MaxAttempts} attempt(s): {string.Join("; ", reasons)}");
    }

    // Starts one attempt; the reason when the dispatcher could not start it (a failed attempt, not a failed run).
    private async Task<string?> StartAsync(JobSpec spec, int attempt)
    {
        try
        {
            return await context.CallActivityAsync<bool>(nameof(StartJobActivity), new JobStart(spec, attempt), StepRetries.Options)
                ? null
                // Marked terminated: the terminator ends the run, but not a batch of it, which must not wait on for jobs that never start.
                : throw new RunFailedException($"job {spec.JobId} ({spec.Kind}) was not started: the run {spec.RunId} was terminated.");
        }
        catch (TaskFailedException e) when (StartFailure(e.FailureDetails) is { } failure)
        {
            return failure.ErrorMessage;
        }
    }

    // Starts the first attempts of a fan-out in one activity (StartJobsActivity), then runs each job from there; their first
    // wait for an event ends on one timer the group shares, created once the starts are made.
    private async Task<List<Task<JobResult>>> StartGroupAsync(IReadOnlyList<JobSpec> specs, CancellationToken over)
    {
        var outcomes = await context.CallActivityAsync<IReadOnlyList<JobStartOutcome>>(nameof(StartJobsActivity), specs.Select(s => new JobStart(s, 1)).ToList(),
            StepRetries.Options);
        var firstWait = context.CreateTimer(TimeSpan.FromSeconds(settings.ProbeIntervalSeconds), over);
        return specs.Select((s, i) => RunAsync(s, new GroupStart(outcomes[i], firstWait))).ToList();
    }

    // A group start's answer for one job, as StartAsync gives it: null when it started, the reason when the dispatcher refused.
    private static string? Started(JobSpec spec, JobStartOutcome outcome) => outcome switch
    {
        { Started: true } => null,
        { Failure: { } failure } => failure,
        _ => throw new RunFailedException($"job {spec.JobId} ({spec.Kind}) was not started: the run {spec.RunId} was terminated."),
    };

    // The JobStartFailedException in a failure, also when a host reports it wrapped.
    private static TaskFailureDetails? StartFailure(TaskFailureDetails? failure) =>
        failure is null ? null : failure.ErrorType == typeof(JobStartFailedException).FullName ? failure : StartFailure(failure.InnerFailure);

    // A batch's outcome: its event, or what a probe finds when the event has not come for a while (a batch runs many jobs:
    // it is asked after less often than a job).
    private async Task<JobBatchOutcome> WaitForBatchAsync(string batch)
    {
        while (true)
        {
            if (await EventOrTimeoutAsync<JobBatchOutcome>(JobEvents.BatchEnded(batch), settings.ProbeIntervalSeconds * BatchProbeIntervals) is { } outcome)
            {
                return outcome;
            }

            var check = await context.CallActivityAsync<JobBatchCheck>(nameof(ProbeBatchActivity), batch, StepRetries.Options);
            if (check.Outcome is not null)
            {
                return check.Outcome;
            }

            if (check.Failure is not null)
            {
                throw new RunFailedException(check.Failure);
            }
        }
    }

    // The event's payload, or null when the timer of the given seconds went off first.
    private async Task<T?> EventOrTimeoutAsync<T>(string eventName, double seconds)
        where T : class
    {
        using var cancel = new CancellationTokenSource();
        var reported = context.WaitForExternalEvent<T>(eventName, cancel.Token);
        var timer = context.CreateTimer(TimeSpan.FromSeconds(seconds), cancel.Token);
        var winner = await Task.WhenAny(reported, timer);
        // Cancel() runs the loser's callbacks here, on the orchestration's own thread; CancelAsync would move the rest of
        // the orchestration onto the thread pool, where the Durable Task runtime no longer sees it.
#pragma warning disable CA1849
        cancel.Cancel();
#pragma warning restore CA1849
        return winner == reported ? await reported : null;
    }

    // The event's payload, or null when a timer others wait on too went off first (only the event's wait is cancelled).
    private async Task<T?> EventOrSharedTimerAsync<T>(string eventName, Task timer)
        where T : class
    {
        using var cancel = new CancellationTokenSource();
        var reported = context.WaitForExternalEvent<T>(eventName, cancel.Token);
        var winner = await Task.WhenAny(reported, timer);
        if (winner == reported)
        {
            return await reported;
        }

        // As in EventOrTimeoutAsync: Cancel(), not CancelAsync(), on the orchestration's own thread.
#pragma warning disable CA1849
        cancel.Cancel();
#pragma warning restore CA1849
        return null;
    }

    private async Task<(JobResult? Result, string? Reason, bool Started)> WaitAsync(JobSpec spec, Task? sharedWait)
    {
        while (true)
        {
            var wait = sharedWait is null
                ? EventOrTimeoutAsync<JobResult>(JobEvents.Name(spec.JobId), settings.ProbeIntervalSeconds)
                : EventOrSharedTimerAsync<JobResult>(JobEvents.Name(spec.JobId), sharedWait);
            sharedWait = null;
            if (await wait is { } reported)
            {
                return (reported, null, true);
            }

            EnsureNotStopped(spec);
            var check = await context.CallActivityAsync<JobCheck>(nameof(ProbeJobActivity), new JobProbeRequest(spec.RunId, spec.JobId, settings.JobTimeoutSeconds),
                StepRetries.Options);
            if (check.Result is not null)
            {
                return (check.Result, null, true);
            }

            if (check.State is JobState.Queued or JobState.Running)
            {
                continue;
            }

            return (null, check.Detail, check.Started);
        }
    }

    // Once a job of the fan-out failed, the others start and ask after nothing more: the run is failing.
    private void EnsureNotStopped(JobSpec spec)
    {
        if (_stopped is not null)
        {
            throw new RunFailedException($"job {spec.JobId} ({spec.Kind}) was stopped: another job failed ({_stopped}).");
        }
    }

    private void Publish(string? error) => context.SetCustomStatus(new RunStatus(_phase, _records.Count, _started, error, _batch));
}
