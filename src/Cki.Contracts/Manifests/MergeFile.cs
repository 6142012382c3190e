namespace Cki.Contracts.Manifests;

/// <summary>A <c>merge.yaml</c> as <see cref="MergeFileParser"/> validated it: locations as written, options as in a family manifest.</summary>
public sealed record MergeFile
{
    /// <summary>The models to integrate, model A first, at least two: paths (relative to the file) or URLs, as written.</summary>
    public required IReadOnlyList<string> Models { get; init; }

    /// <summary>Where the merged model goes, as written: a <c>.safetensors</c> file or a folder.</summary>
    public string Output { get; init; } = "merged.safetensors";

    /// <summary>The most data one output shard holds (folder outputs).</summary>
    public long MaxShardBytes { get; init; } = 5L << 30;

    /// <summary>
    /// Record every input file's SHA-256 in the provenance (computed while reading, on a background thread).
    /// Off only for throughput on machines where hashing is the bottleneck; the provenance then says so.
    /// </summary>
    public bool HashInputs { get; init; } = true;

    /// <summary>The task that trains the learned assessment (<c>task.name</c>); null when there is none.</summary>
    public string? Task { get; init; }

    /// <summary>The merge method and its options.</summary>
    public required MergeOptions Merge { get; init; }

    /// <summary>The learned assessment's options (the rest of the <c>task:</c> section).</summary>
    public CandidateOptions Candidates { get; init; } = new();
}
