namespace Cki.Workflow.Dispatch;

/// <summary>What a dispatcher knows of a job.</summary>
public enum JobState
{
    /// <summary>Accepted, waiting for a free slot.</summary>
    Queued,

    /// <summary>Running.</summary>
    Running,

    /// <summary>Ended (its result, if any, is in storage).</summary>
    Exited,

    /// <summary>Stopped by the dispatcher after running past its timeout.</summary>
    TimedOut,

    /// <summary>The dispatcher has no record of it (e.g. the host restarted, or the pod is gone).</summary>
    Lost,
}

/// <summary>A dispatcher's answer about one job.</summary>
/// <param name="State">The state.</param>
/// <param name="Detail">What a user reads: exit code, running time, the reason it is lost.</param>
public sealed record JobProbe(JobState State, string Detail);

/// <summary>A job to start: its ids and the URL of its spec.</summary>
/// <param name="RunId">The run.</param>
/// <param name="JobId">The job.</param>
/// <param name="Attempt">1 for the first start.</param>
/// <param name="SpecUrl">The spec blob's URL, passed to <c>cki-compute job --spec</c>.</param>
public sealed record JobLaunch(string RunId, string JobId, int Attempt, Uri SpecUrl)
{
    /// <summary>The job's kind (<see cref="Cki.Contracts.Jobs.JobKinds"/>), so that a dispatcher can size it; null when unknown.</summary>
    public string? Kind { get; init; }
}

/// <summary>
/// Starts compute jobs and answers what became of them. <c>local</c> runs child processes; <c>kubernetes</c>
/// creates <c>batch/v1</c> Jobs. Results never travel through the dispatcher: a job writes
/// <c>result.json</c> and the result trigger raises the run's event.
/// </summary>
public interface IJobDispatcher
{
    /// <summary>Starts (or queues) the job; returns once the dispatcher has accepted it.</summary>
    Task StartAsync(JobLaunch launch, CancellationToken cancellationToken);

    /// <summary>What became of the job; a job running past <paramref name="timeout"/> is stopped and reported as timed out.</summary>
    Task<JobProbe> ProbeAsync(string runId, string jobId, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Stops every job of a run that is queued or running (the run was terminated), refuses later starts of its jobs, and
    /// returns once the stopped jobs have ended (bounded); returns how many were stopped.
    /// </summary>
    Task<int> CancelRunAsync(string runId, CancellationToken cancellationToken);
}
