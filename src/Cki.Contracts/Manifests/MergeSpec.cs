namespace Cki.Contracts.Manifests;

/// <summary>
/// A merge as specified: the models, where the result goes, the task and the options. <see cref="MergeFileParser"/>
/// reads it from <c>merge.yaml</c> (locations as written); the engine's config extends it with where the inputs live
/// and how they are opened. Each default is declared here once.
/// </summary>
public record MergeSpec
{
    /// <summary>The output when none is given.</summary>
    public const string DefaultOutput = "merged.safetensors";

    /// <summary>The most data one output shard holds when <c>max_shard_size</c> is not given: 5 GiB.</summary>
    public const long DefaultMaxShardBytes = 5L << 30;

    /// <summary>The models to integrate, model A first, at least two: paths (relative to the file) or URLs, as written.</summary>
    public required IReadOnlyList<string> Models { get; init; }

    /// <summary>Where the merged model goes: a <c>.safetensors</c> file or a folder.</summary>
    public string Output { get; init; } = DefaultOutput;

    /// <summary>The most data one output shard holds (folder outputs).</summary>
    public long MaxShardBytes { get; init; } = DefaultMaxShardBytes;

    /// <summary>
    /// Record every input file's SHA-256 in the provenance (computed while reading, on a background thread).
    /// Off only for throughput on machines where hashing is the bottleneck; the provenance then says so.
    /// </summary>
    public bool HashInputs { get; init; } = true;

    /// <summary>The task that trains the learned assessment (<c>task.name</c>); null when there is none.</summary>
    public string? Task { get; init; }

    /// <summary>The merge method and its options; without a task, <c>global-only</c> over every tensor.</summary>
    public MergeOptions Merge { get; init; } = MergeOptions.DefaultsFor(hasTask: false);

    /// <summary>The learned assessment's options (the rest of the <c>task:</c> section).</summary>
    public CandidateOptions Candidates { get; init; } = new();

    /// <summary>The method's name.</summary>
    public string Method => Merge.Method;
}
