using Cki.Compute.Method;

namespace Cki.Compute.Config;

/// <summary>Which tensors a merge integrates; the rest are copied from model A.</summary>
/// <param name="Mode"><c>all</c>, <c>head</c> (the task's head weight matrices) or <c>patterns</c>.</param>
/// <param name="Patterns">Glob patterns (<c>*</c>, <c>?</c>) for <c>patterns</c>.</param>
public sealed record TensorSelection(string Mode, IReadOnlyList<string> Patterns)
{
    /// <summary>Every floating-point tensor.</summary>
    public static TensorSelection All { get; } = new("all", []);

    /// <summary>The task's head weight matrices.</summary>
    public static TensorSelection Head { get; } = new("head", []);
}

/// <summary>The <c>task:</c> section: the task that trains the local assessment, and the assessment's options.</summary>
public sealed record TaskConfig
{
    /// <summary>The task's name in the task registry.</summary>
    public required string Name { get; init; }

    /// <summary>Learning rates swept; the best on validation is kept.</summary>
    public IReadOnlyList<double> LearningRates { get; init; } = [1e-3, 1e-2];

    /// <summary>Epochs at most.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Batch size; the task's default when null.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Also train model A's trunk.</summary>
    public bool TrainTrunk { get; init; }

    /// <summary>Bias of the local map; the task's default when null.</summary>
    public bool? Bias { get; init; }

    /// <summary>Scale s on the distance.</summary>
    public double Scale { get; init; } = 1.0;
}

/// <summary>A merge as <c>merge.yaml</c> describes it, validated.</summary>
public sealed record MergeConfig
{
    /// <summary>Input locations, model A first.</summary>
    public required IReadOnlyList<string> Models { get; init; }

    /// <summary>The merge method's name.</summary>
    public string Method { get; init; } = "global-only";

    /// <summary>Soft or hard splicing.</summary>
    public SpliceMode Splice { get; init; } = SpliceMode.Soft;

    /// <summary>The compatibility form of <c>cki</c>.</summary>
    public CompatibilityForm Form { get; init; } = CompatibilityForm.ExpSoftmax;

    /// <summary>Which tensors are integrated.</summary>
    public TensorSelection Tensors { get; init; } = TensorSelection.All;

    /// <summary>The global term's histogram.</summary>
    public HistogramMode Histogram { get; init; } = HistogramMode.Reference;

    /// <summary>The config file's folder: provenance names local inputs relative to it (the current folder when null).</summary>
    public string? ConfigFolder { get; init; }

    /// <summary>Where the merged model goes.</summary>
    public string Output { get; init; } = "merged.safetensors";

    /// <summary>Accept non-finite input values.</summary>
    public bool AllowNonFinite { get; init; }

    /// <summary>Seed of everything random.</summary>
    public int Seed { get; init; }

    /// <summary>Base model of task arithmetic and TIES.</summary>
    public string? Base { get; init; }

    /// <summary>Pruning threshold.</summary>
    public double Threshold { get; init; } = 0.02;

    /// <summary>Task arithmetic / TIES scale.</summary>
    public double Lambda { get; init; } = 1.0;

    /// <summary>TIES density (share of each task vector kept).</summary>
    public double Density { get; init; } = 0.2;

    /// <summary>Amplitude a of the global term.</summary>
    public double A { get; init; } = GlobalInformation.DefaultAmplitude;

    /// <summary>Steepness c of the global term.</summary>
    public double C { get; init; } = GlobalInformation.DefaultSteepness;

    /// <summary>The most data one output shard holds (folder outputs).</summary>
    public long MaxShardBytes { get; init; } = 5L << 30;

    /// <summary>
    /// Record every input file's SHA-256 in the provenance (computed while reading, on a background thread).
    /// Off only for throughput on machines where hashing is the bottleneck; the provenance then says so.
    /// </summary>
    public bool HashInputs { get; init; } = true;

    /// <summary>The task section (needed by <c>cki</c> and <c>local-only</c>).</summary>
    public TaskConfig? Task { get; init; }
}
