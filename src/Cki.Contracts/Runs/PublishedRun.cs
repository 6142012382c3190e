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

    /// <summary>The integrated model (its shard index).</summary>
    public required string Model { get; init; }

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
