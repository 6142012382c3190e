using Cki.Contracts.Jobs;

namespace Cki.Compute.Checkpoints;

/// <summary>
/// Opens the files of a checkpoint by location: a local path or a blob URL, the same way for both. Blob URLs listed in
/// <paramref name="pins"/> (without a query) are read only at the version given there (a run's inputs).
/// </summary>
public sealed class CheckpointLocations(BlobClients blobs, IReadOnlyDictionary<string, InputVersion>? pins = null)
{
    /// <summary>
    /// Locations with no storage connection string: local paths, and blob URLs that carry a SAS or are reached
    /// with <c>DefaultAzureCredential</c>. The application passes its configured locations instead.
    /// </summary>
    public static CheckpointLocations Default { get; } = new(new BlobClients(null));

    /// <summary>The locations for <paramref name="connectionString"/> (null or empty: <see cref="Default"/>).</summary>
    public static CheckpointLocations For(string? connectionString) =>
        string.IsNullOrWhiteSpace(connectionString) ? Default : new(new BlobClients(connectionString));

    /// <summary>Opens a file or blob for range reads.</summary>
    public IByteSource OpenRead(string location, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        return BlobClients.IsUrl(location)
            ? BlobByteSource.Open(blobs.Blob(location), pins?.GetValueOrDefault(PinKey(location)), cancellationToken)
            : new FileByteSource(location);
    }

    /// <summary>
    /// The key a blob URL is pinned under: its path, escaped the one canonical way, without the query. A URL built by
    /// escaping each segment and one rebuilt by <see cref="Uri.ToString"/> (which unescapes) name the same blob and
    /// get the same key, so no spelling of a blob's URL can slip past its pin.
    /// </summary>
    public static string PinKey(string url) => new Uri(url).GetLeftPart(UriPartial.Path);

    /// <summary>Starts writing a file or blob; nothing appears under the name until the sink commits.</summary>
    public ICheckpointSink OpenWrite(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        return BlobClients.IsUrl(location)
            ? new BlobCheckpointSink(blobs.Blob(location))
            : new FileCheckpointSink(location);
    }

    /// <summary>The location of <paramref name="fileName"/> in the same folder (or blob prefix) as <paramref name="location"/>.</summary>
    public static string Sibling(string location, string fileName)
    {
        if (fileName.Contains('/', StringComparison.Ordinal) || fileName.Contains('\\', StringComparison.Ordinal) || fileName is "." or "..")
        {
            throw new ArgumentException($"'{fileName}' must be a plain file name.", nameof(fileName));
        }

        if (!BlobClients.IsUrl(location))
        {
            return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(location))!, fileName);
        }

        var builder = new UriBuilder(location);
        var path = builder.Path;
        builder.Path = path[..(path.LastIndexOf('/') + 1)] + Uri.EscapeDataString(fileName);
        return builder.Uri.ToString();
    }
}
