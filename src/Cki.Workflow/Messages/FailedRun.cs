
namespace Cki.Workflow.Messages;

/// <summary>A run that failed: which run, and its family (whose <c>integrated/</c> folder holds its partial outputs).</summary>
/// <param name="RunId">The run.</param>
/// <param name="Family">Its family.</param>
public sealed record FailedRun(string RunId, string Family);
