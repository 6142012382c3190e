using Cki.Contracts.Storage;

namespace Cki.Compute.Checkpoints;

/// <summary>
/// An input blob is no longer the version its run started on: a producer replaced it in place during the run. The run
/// must fail rather than read two versions of one input; its message is the one sentence the run's status shows.
/// </summary>
public sealed class InputChangedException : IOException
{
    /// <summary>For a blob <paramref name="blobName"/> (<c>container/name</c>) pinned at <paramref name="pinnedETag"/>.</summary>
    public InputChangedException(string blobName, string pinnedETag)
        : base(Describe(blobName, pinnedETag))
    {
        BlobName = blobName;
    }

    /// <summary>For serializers and analyzers; prefer the constructor that names the blob.</summary>
    public InputChangedException()
    {
        BlobName = "";
    }

    /// <summary>For serializers and analyzers; prefer the constructor that names the blob.</summary>
    public InputChangedException(string message)
        : base(message)
    {
        BlobName = "";
    }

    /// <summary>For serializers and analyzers; prefer the constructor that names the blob.</summary>
    public InputChangedException(string message, Exception innerException)
        : base(message, innerException)
    {
        BlobName = "";
    }

    /// <summary>The blob that changed (<c>container/name</c>).</summary>
    public string BlobName { get; }

    private static string Describe(string blobName, string pinnedETag)
    {
        var (container, name) = BlobLayout.Split(blobName);
        var (input, family) = container == BlobLayout.CheckpointsContainer && BlobLayout.TryParseCheckpointFile(name, out var f, out var source, out _, out _)
            ? ($"input {source}", f)
            : ("an input", "{family}");
        return $"{input} changed during the run ({blobName} is no longer the version the run started on, ETag {pinnedETag.Trim('"')}): " +
            $"nothing from this run is published, and the new bytes start a new run (the blob trigger starts it; with blob triggers off, POST /api/runs/{family}).";
    }
}
