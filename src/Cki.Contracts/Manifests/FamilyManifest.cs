namespace Cki.Contracts.Manifests;

/// <summary>A family manifest, <c>checkpoints/{family}/cki.yaml</c> (docs/architecture.md), as <see cref="FamilyManifestParser"/> validated it.</summary>
public sealed record FamilyManifest
{
    /// <summary>One of <see cref="ManifestTasks.Names"/>.</summary>
    public required string Task { get; init; }

    /// <summary>At least two distinct source names (path segments under the family), model A first.</summary>
    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary>The merge method and its options.</summary>
    public MergeOptions Merge { get; init; } = new();

    /// <summary>Data sets by name, each a blob reference (<c>data/...</c> or <c>checkpoints/...</c>); ordinal keys.</summary>
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Metrics and baselines of the report.</summary>
    public EvaluationOptions Evaluation { get; init; } = new();

    /// <summary>How the run decides what it publishes.</summary>
    public PromotionOptions Promotion { get; init; } = new();

    /// <summary>The learned assessment's sweep.</summary>
    public CandidateOptions Candidates { get; init; } = new();

    /// <summary>Epochs of the retraining step after integration, 0 to 100; 0 means no retraining.</summary>
    public int RetrainEpochs { get; init; }

    /// <summary>How many splice jobs the tensors are split into, 1 to 1024.</summary>
    public int Shards { get; init; } = 16;

    /// <summary>Whether the nightly schedule re-integrates this family.</summary>
    public ScheduleMode Schedule { get; init; } = ScheduleMode.Nightly;
}
