
namespace Cki.Workflow.Messages;

/// <summary>Which job to ask about, and after how long it counts as hung.</summary>
/// <param name="RunId">The run.</param>
/// <param name="JobId">The job.</param>
/// <param name="TimeoutSeconds">Running time after which the dispatcher stops it.</param>
public sealed record JobProbeRequest(string RunId, string JobId, double TimeoutSeconds);
