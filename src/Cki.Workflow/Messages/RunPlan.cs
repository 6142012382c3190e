namespace Cki.Workflow.Messages;

/// <summary>
/// What validation found and decided, before any compute: the manifest snapshot, the inputs in order, the layout's
/// tensors split into splice shards, and which optional steps run. Only names travel, never tensors.
/// </summary>
public sealed record RunPlan
{
    /// <summary>The run id.</summary>
    public required string RunId { get; init; }

    /// <summary>The family.</summary>
    public required string Family { get; init; }

    /// <summary>The manifest snapshot every job reads (<c>runs/{runId}/cki.yaml</c>).</summary>
    public required string Manifest { get; init; }

    /// <summary>The manifest version the run integrates under (compared when publishing).</summary>
    public required Contracts.Runs.PublishedManifest ManifestVersion { get; init; }

    /// <summary>Input checkpoints (<c>container/name</c>), model A first.</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>
    /// The version of every input blob the run started on (<c>container/name</c>: files, indexes, shards, <c>merge.base</c>);
    /// every job spec carries it, so that no job reads another version. Empty in plans made before inputs were pinned.
    /// </summary>
    public IReadOnlyDictionary<string, Contracts.Jobs.InputVersion> InputVersions { get; init; } = new Dictionary<string, Contracts.Jobs.InputVersion>();

    /// <summary>The family's published model when the run started (<c>latest.json</c>): the champion a decision compares with.</summary>
    public Contracts.Runs.PublishedRun? Champion { get; init; }

    /// <summary>Why the family's published model is no champion of this run (purged, another architecture); null when it is, or there is none.</summary>
    public string? ChampionNote { get; init; }

    /// <summary>The sources, in the order of <see cref="Inputs"/>.</summary>
    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary>The task (<c>none</c> for data-free families).</summary>
    public required string Task { get; init; }

    /// <summary>The merge method.</summary>
    public required string Method { get; init; }

    /// <summary>The tensor selection (<c>merge.tensors</c>) as written, for messages.</summary>
    public required string Tensors { get; init; }

    /// <summary>Whether the method learns the local assessment (runs <c>assess</c> candidates).</summary>
    public required bool Learned { get; init; }

    /// <summary>The candidates' learning rates.</summary>
    public required IReadOnlyList<double> LearningRates { get; init; }

    /// <summary>The tensors of each splice shard, in layout order.</summary>
    public required IReadOnlyList<IReadOnlyList<string>> Shards { get; init; }

    /// <summary>Total tensor bytes of one model.</summary>
    public required long ModelBytes { get; init; }

    /// <summary>Baselines evaluated beside the integrated model.</summary>
    public required IReadOnlyList<string> Baselines { get; init; }

    /// <summary>Whether non-finite input values are accepted (<c>merge.allow_non_finite</c>).</summary>
    public required bool AllowNonFinite { get; init; }

    /// <summary>The metric the decision is made on (validation), e.g. <c>auc</c>; null for runs without a task.</summary>
    public string? DecidingMetric { get; init; }

    /// <summary>Retraining epochs (0: no retrain step).</summary>
    public required int RetrainEpochs { get; init; }
}
