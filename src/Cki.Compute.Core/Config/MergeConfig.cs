using Cki.Compute.Checkpoints;
using Cki.Compute.Method;
using Cki.Contracts.Manifests;
using static TorchSharp.torch;

namespace Cki.Compute.Config;

/// <summary>
/// A merge as the engine runs it: where the models are and where the result goes, and the options of
/// <see cref="MergeOptions"/> and <see cref="CandidateOptions"/>, the records a family manifest and merge.yaml share.
/// </summary>
public sealed record MergeConfig
{
    /// <summary>Input locations (absolute paths or URLs), model A first.</summary>
    public required IReadOnlyList<string> Models { get; init; }

    /// <summary>The merge method and its options; <see cref="MergeOptions.Base"/> is an absolute path or URL here.</summary>
    public MergeOptions Merge { get; init; } = MergeOptions.DefaultsFor(hasTask: false);

    /// <summary>The task that trains the learned assessment, null when there is none.</summary>
    public string? Task { get; init; }

    /// <summary>The folder of the task's data (the MovieLens cache for <c>movielens</c>); the task's default when null.</summary>
    public string? TaskData { get; init; }

    /// <summary>
    /// Where the task the run creates keeps its data and where the learned assessment trains (the CPU by default). The
    /// merge itself streams on the CPU whatever this says; a task handed to the run keeps its own device.
    /// </summary>
    public Device Device { get; init; } = CPU;

    /// <summary>How inputs and outputs are opened (the storage account of blob URLs).</summary>
    public CheckpointLocations Locations { get; init; } = CheckpointLocations.Default;

    /// <summary>The learned assessment's options.</summary>
    public CandidateOptions Candidates { get; init; } = new();

    /// <summary>The config file's folder: provenance names local inputs relative to it (the current folder when null).</summary>
    public string? ConfigFolder { get; init; }

    /// <summary>Where the merged model goes.</summary>
    public string Output { get; init; } = "merged.safetensors";

    /// <summary>The most data one output shard holds (folder outputs).</summary>
    public long MaxShardBytes { get; init; } = 5L << 30;

    /// <summary>Record every input file's SHA-256 in the provenance; off only for throughput, and the provenance says so.</summary>
    public bool HashInputs { get; init; } = true;

    /// <summary>The method's name.</summary>
    public string Method => Merge.Method;

    /// <summary>Soft or hard splicing.</summary>
    public SpliceMode Splice => Merge.Splice == "hard" ? SpliceMode.Hard : SpliceMode.Soft;

    /// <summary>The compatibility form of <c>cki</c>.</summary>
    public CompatibilityForm Form => Merge.Form == "linear" ? CompatibilityForm.Linear : CompatibilityForm.ExpSoftmax;

    /// <summary>The global term's histogram.</summary>
    public HistogramMode Histogram => Merge.Histogram == "closed" ? HistogramMode.Closed : HistogramMode.Reference;
}
