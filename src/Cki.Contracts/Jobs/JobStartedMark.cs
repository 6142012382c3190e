namespace Cki.Contracts.Jobs;

/// <summary>
/// <c>runs/{runId}/jobs/{jobId}/started.json</c>: what a job writes as it begins. The spec is written anew for every
/// attempt, so a mark whose <see cref="SpecETag"/> is the current spec's says that this attempt really started; a job
/// lost before that (queued on a host that crashed) is started again without using up an attempt.
/// </summary>
/// <param name="SpecETag">The ETag of the spec the job read (quoted HTTP form).</param>
/// <param name="StartedAt">When it began (the job's clock; informative).</param>
/// <param name="Host">The machine it runs on.</param>
/// <param name="ProcessId">Its process id there.</param>
public sealed record JobStartedMark(string SpecETag, DateTimeOffset StartedAt, string Host, int ProcessId);
