using Cki.Contracts.Runs;

namespace Cki.Workflow.Messages;

/// <summary>What to publish.</summary>
/// <param name="Family">The family.</param>
/// <param name="RunId">The run whose outputs become the latest.</param>
/// <param name="Model">The published model's blob name (the integrated model's, or the chosen candidate's).</param>
/// <param name="Inputs">The run's inputs as it saw them (recorded in <c>latest.json</c> and compared with the published run's).</param>
/// <param name="Manifest">The manifest version the run integrated under.</param>
/// <param name="Candidate">Which candidate the model is; null: the integrated model (runs without a decision).</param>
/// <param name="Decision">The decision that chose it.</param>
/// <param name="Ensemble">The member models when the candidate is the output ensemble.</param>
public sealed record PublishRequest(string Family, string RunId, string Model, IReadOnlyList<RunInput> Inputs, PublishedManifest? Manifest,
    string? Candidate = null, PromotionDecision? Decision = null, IReadOnlyList<string>? Ensemble = null);
