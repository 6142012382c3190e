namespace Cki.Contracts.Runs;

/// <summary>
/// <c>integrated/{family}/latest.json</c>: the run whose model consumers get, and the exact inputs it integrated, so
/// that a later publisher can tell whether its own inputs are newer (publishing only moves forward).
/// </summary>
public sealed record PublishedRun
{
    /// <summary>The family.</summary>
    public required string Family { get; init; }

    /// <summary>The published run.</summary>
    public required string RunId { get; init; }

    /// <summary>Its output folder (<c>integrated/{family}/{runId}/</c>).</summary>
    public required string Folder { get; init; }

    /// <summary>
    /// The published model: the integrated model's shard index, or, when the decision chose another candidate at 1x cost
    /// (an input, a baseline, the retrained model), that model's blob, referenced where it is (not copied).
    /// </summary>
    public required string Model { get; init; }

    /// <summary>Which candidate the model is (<c>integrated</c>, <c>input b</c>, ...); null in pointers written before decisions.</summary>
    public string? Candidate { get; init; }

    /// <summary>The member models when the published candidate is the output ensemble (K x inference cost); null otherwise.</summary>
    public IReadOnlyList<string>? Ensemble { get; init; }

    /// <summary>The decision that published it; null before decisions existed, or for <c>task: none</c>.</summary>
    public PromotionDecision? Decision { get; init; }

    /// <summary>When it was published (the publisher's clock; informative only, never compared).</summary>
    public DateTimeOffset PublishedAt { get; init; }

    /// <summary>The manifest version the run integrated under.</summary>
    public PublishedManifest? Manifest { get; init; }

    /// <summary>The inputs, model A first, as the run saw them.</summary>
    public IReadOnlyList<RunInput> Inputs { get; init; } = [];
}

/// <summary>The manifest version of a published run.</summary>
/// <param name="ETag">Its ETag.</param>
/// <param name="LastModified">When storage last wrote it.</param>
public sealed record PublishedManifest(string ETag, DateTimeOffset LastModified);
