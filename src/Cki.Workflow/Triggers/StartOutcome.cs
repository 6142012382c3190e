
namespace Cki.Workflow.Triggers;

/// <summary>What a start request did.</summary>
/// <param name="Family">The family.</param>
/// <param name="RunId">The run id of the current input set; null when nothing could be resolved.</param>
/// <param name="Started">Whether this call started the run (false: it existed already, or the family is not ready).</param>
/// <param name="Detail">What happened, for logs and the HTTP API.</param>
public sealed record StartOutcome(string Family, string? RunId, bool Started, string Detail);
