namespace Cki.Workflow.Dispatch;

/// <summary>How a job given to a <see cref="WorkerProcess"/> ended.</summary>
/// <param name="ExitCode">The job's exit code, as <c>cki-compute job</c> would have exited; the worker's own when it died with the job.</param>
/// <param name="Accepted">Whether the worker had taken the job (said <c>started</c>).</param>
/// <param name="Crash">Null when the job ended in the worker; else how the worker went away with it.</param>
internal sealed record WorkerOutcome(int ExitCode, bool Accepted, string? Crash);
