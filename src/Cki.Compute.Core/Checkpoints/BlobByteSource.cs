using Azure;

using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Cki.Compute.Checkpoints;

/// <summary>
/// A blob read by HTTP range requests. The blob's ETag is taken when it is opened and every range is read
/// under that ETag, so a blob replaced while it is being read fails loudly instead of mixing two versions.
/// </summary>
public sealed class BlobByteSource : IByteSource
{
    private readonly BlobBaseClient _blob;
    private readonly ETag _etag;

    private BlobByteSource(BlobBaseClient blob, long length, ETag etag)
    {
        _blob = blob;
        Length = length;
        _etag = etag;
        Name = new UriBuilder(blob.Uri) { Query = string.Empty }.Uri.ToString();
    }

    /// <summary>Opens a blob: one properties request for its length and ETag.</summary>
    public static BlobByteSource Open(BlobBaseClient blob, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blob);
        BlobProperties properties;
        try
        {
            properties = blob.GetProperties(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            var name = $"{blob.BlobContainerName}/{blob.Name}";
            throw new FileNotFoundException($"{name}: no such blob (at {blob.Uri.GetLeftPart(UriPartial.Path)}).", name, e);
        }

        return new BlobByteSource(blob, properties.ContentLength, properties.ETag);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public long Length { get; }

    /// <summary>The ETag the blob had when it was opened.</summary>
    public ETag ETag => _etag;

    /// <inheritdoc />
    public void ReadExactly(long offset, Span<byte> destination, CancellationToken cancellationToken = default)
    {
        if (destination.IsEmpty)
        {
            return;
        }

        if (offset + destination.Length > Length)
        {
            throw new EndOfStreamException($"{Name}: ends at byte {Length}, before byte {offset + destination.Length}.");
        }

        var options = new BlobDownloadOptions
        {
            Range = new HttpRange(offset, destination.Length),
            Conditions = new BlobRequestConditions { IfMatch = _etag },
        };
        BlobDownloadStreamingResult result = _blob.DownloadStreaming(options, cancellationToken);
        using var stream = result.Content;
        stream.ReadExactly(destination);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
