namespace Cki.Workflow.Orchestration;

/// <summary>The orchestration's custom status: the phase and how many jobs are done of how many started.</summary>
/// <param name="Phase">validate, profile, assess, splice, assemble, evaluate, retrain, report, publish, completed or failed.</param>
/// <param name="JobsDone">Jobs finished so far.</param>
/// <param name="JobsTotal">Jobs started so far.</param>
/// <param name="Error">Why the run failed, when it did.</param>
public sealed record RunStatus(string Phase, int JobsDone, int JobsTotal, string? Error = null);
