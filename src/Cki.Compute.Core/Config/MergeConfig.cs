using System.Diagnostics.CodeAnalysis;
using Cki.Compute.Checkpoints;
using Cki.Compute.Method;
using Cki.Contracts.Manifests;
using static TorchSharp.torch;

namespace Cki.Compute.Config;

/// <summary>
/// A merge as the engine runs it: the <see cref="MergeSpec"/> that merge.yaml and a family manifest share (model
/// locations absolute paths or URLs here, and <see cref="MergeOptions.Base"/> too), plus what only the engine needs:
/// where the task's data and the config are, and how inputs and outputs are opened.
/// </summary>
public sealed record MergeConfig : MergeSpec
{
    /// <summary>An empty config; set <see cref="MergeSpec.Models"/>.</summary>
    public MergeConfig()
    {
    }

    /// <summary>The engine's config of <paramref name="spec"/>, with the engine's own settings at their defaults.</summary>
    [SetsRequiredMembers]
    public MergeConfig(MergeSpec spec)
        : base(spec)
    {
    }

    /// <summary>The folder of the task's data (the MovieLens cache for <c>movielens</c>); the task's default when null.</summary>
    public string? TaskData { get; init; }

    /// <summary>
    /// Where the task the run creates keeps its data and where the learned assessment trains (the CPU by default). The
    /// merge itself streams on the CPU whatever this says; a task handed to the run keeps its own device.
    /// </summary>
    public Device Device { get; init; } = CPU;

    /// <summary>How inputs and outputs are opened (the storage account of blob URLs).</summary>
    public CheckpointLocations Locations { get; init; } = CheckpointLocations.Default;

    /// <summary>The config file's folder: provenance names local inputs relative to it (the current folder when null).</summary>
    public string? ConfigFolder { get; init; }

    /// <summary>Soft or hard splicing.</summary>
    public SpliceMode Splice => Merge.Splice == "hard" ? SpliceMode.Hard : SpliceMode.Soft;

    /// <summary>How the learned weights combine: the form of <c>cki</c>, or the local term alone for <c>local-only</c>.</summary>
    public CompatibilityForm Form =>
        Method == MergeMethods.LocalOnly.Name ? CompatibilityForm.LocalOnly
        : Merge.Form == "linear" ? CompatibilityForm.Linear : CompatibilityForm.ExpSoftmax;

    /// <summary>The global term's histogram.</summary>
    public HistogramMode Histogram => Merge.Histogram == "closed" ? HistogramMode.Closed : HistogramMode.Reference;

    /// <summary>The learned assessment's options, from this merge's options and candidates (the learning rate is swept).</summary>
    public AssessmentOptions Assessment() => new()
    {
        Form = Form,
        Epochs = Candidates.Epochs,
        BatchSize = Candidates.BatchSize,
        Bias = Candidates.Bias,
        Scale = Candidates.Scale,
        TrainTrunk = Candidates.TrainTrunk,
        Seed = Merge.Seed,
        Histogram = Histogram,
        Amplitude = Merge.A,
        Steepness = Merge.C,
    };
}
