namespace Cki.Contracts.Runs;

/// <summary>
/// <c>runs/{runId}/terminated.json</c>: written before a run is terminated (activities that would start jobs or write
/// outputs look for it), and what the run's page says about the termination: why, by whom, and when.
/// </summary>
/// <param name="RunId">The run.</param>
/// <param name="Reason">Why, as the caller gave it.</param>
/// <param name="TerminatedAt">When, by the terminating host's clock.</param>
/// <param name="By">Who asked: the call and the caller's address, when known.</param>
public sealed record TerminationMark(string RunId, string Reason, DateTimeOffset TerminatedAt, string? By = null);
