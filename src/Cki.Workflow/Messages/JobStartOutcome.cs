namespace Cki.Workflow.Messages;

/// <summary>How one job's start went in a group start (<c>StartJobsActivity</c>).</summary>
/// <param name="Started">Whether the dispatcher took it.</param>
/// <param name="Failure">
/// Why the dispatcher could not start it (a failed attempt, as <c>JobStartFailedException</c> says it); null when it
/// started, or when nothing was started because the run was terminated.
/// </param>
public sealed record JobStartOutcome(bool Started, string? Failure);
