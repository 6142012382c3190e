
namespace Cki.Workflow.Messages;

/// <summary>What stopping a failed run did.</summary>
/// <param name="JobsStopped">Queued or running jobs of the run that were dropped or stopped.</param>
/// <param name="OutputsRemoved">Partial outputs removed from <c>integrated/{family}/{runId}/</c>.</param>
public sealed record FailedRunCleanup(int JobsStopped, int OutputsRemoved);
