namespace Cki.Workflow.Dispatch;

/// <summary>Options of the <c>local</c> dispatcher.</summary>
public sealed record LocalDispatcherOptions
{
    /// <summary>The program that runs a job, e.g. <c>dotnet</c> (with the cki-compute DLL as first argument) or a published <c>cki-compute</c>.</summary>
    public required string Command { get; init; }

    /// <summary>Arguments before <c>job --spec &lt;url&gt;</c> (or <c>worker</c>), e.g. the path of <c>cki-compute.dll</c>.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Jobs running at once; the rest wait in order. With workers, also the most workers alive.</summary>
    public required int MaxConcurrentJobs { get; init; }

    /// <summary>Whether jobs run on warm workers or in a process each.</summary>
    public required LocalJobMode Jobs { get; init; }

    /// <summary>Seconds a warm worker waits for a job before it exits (<c>cki-compute worker --idle-seconds</c>).</summary>
    public required double WorkerIdleSeconds { get; init; }

    /// <summary>Environment variables set for every job (e.g. the storage connection string).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Folder for each job's stdout/stderr log (<c>{runId}/{jobId}.log</c>); none when null.</summary>
    public string? LogFolder { get; init; }

    /// <summary>
    /// Called when a job ends (its process exits, or its worker says it ended), so that a polling result trigger can look now rather than at its next tick
    /// (the result still reaches the run through the trigger, as in Azure).
    /// </summary>
    public Action? JobExited { get; init; }

    /// <summary>Checks the options once.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Command, nameof(Command));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentJobs, 1, nameof(MaxConcurrentJobs));
        if (!(WorkerIdleSeconds > 0) || !double.IsFinite(WorkerIdleSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(WorkerIdleSeconds), WorkerIdleSeconds, "a positive number of seconds");
        }
    }
}
