
namespace Cki.Workflow.Triggers;

/// <summary>What a settle orchestration waits on: a family and the state of its blobs when the trigger fired.</summary>
/// <param name="Family">The family.</param>
/// <param name="StateKey">The <see cref="SettleState.Key"/> the trigger saw.</param>
/// <param name="Seconds">The settle period.</param>
public sealed record SettleRequest(string Family, string StateKey, double Seconds);
