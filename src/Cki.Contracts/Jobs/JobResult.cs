namespace Cki.Contracts.Jobs;

/// <summary>
/// <c>runs/{runId}/jobs/{jobId}/result.json</c>, written last by a job: success with its figures and outputs, or
/// failure with the reason.
/// </summary>
public sealed record JobResult
{
    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>The job.</summary>
    public required string JobId { get; init; }

    /// <summary>The job kind.</summary>
    public required string Kind { get; init; }

    /// <summary>Whether the job did its work.</summary>
    public required bool Succeeded { get; init; }

    /// <summary>Why it failed, naming the blob, tensor or field; null on success.</summary>
    public string? Error { get; init; }

    /// <summary>
    /// What kind of failure it was, when the run says it in its own words (<see cref="JobFailureCauses"/>); null for an
    /// ordinary failure, which the run reports as the job's failure.
    /// </summary>
    public string? Cause { get; init; }

    /// <summary>Wall time of the job in seconds.</summary>
    public double Seconds { get; init; }

    /// <summary>The job's figures (e.g. <c>validation</c>, <c>test.auc</c>, <c>bytes_written</c>).</summary>
    public IReadOnlyDictionary<string, double> Figures { get; init; } = new Dictionary<string, double>();

    /// <summary>Blob names the job wrote.</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];

    /// <summary>The tool and version that ran the job.</summary>
    public string? Tool { get; init; }

    /// <summary>A successful result.</summary>
    public static JobResult Success(JobSpec spec, double seconds, IReadOnlyDictionary<string, double> figures, IReadOnlyList<string> outputs, string tool)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new JobResult
        {
            RunId = spec.RunId, JobId = spec.JobId, Kind = spec.Kind, Succeeded = true, Seconds = seconds, Figures = figures,
            Outputs = outputs, Tool = tool,
        };
    }

    /// <summary>A failed result.</summary>
    public static JobResult Failure(JobSpec spec, double seconds, string error, string tool, string? cause = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new JobResult
        {
            RunId = spec.RunId, JobId = spec.JobId, Kind = spec.Kind, Succeeded = false, Error = error, Cause = cause, Seconds = seconds, Tool = tool,
        };
    }
}
