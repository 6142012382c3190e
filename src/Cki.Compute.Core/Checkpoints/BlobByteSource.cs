using Azure;

using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Cki.Contracts.Jobs;

namespace Cki.Compute.Checkpoints;

/// <summary>
/// A blob read by HTTP range requests. The blob's ETag is taken when it is opened and every range is read
/// under that ETag, so a blob replaced while it is being read fails loudly instead of mixing two versions. Opened with
/// the <see cref="InputVersion"/> a run started on, it reads that version or fails with <see cref="InputChangedException"/>.
/// </summary>
public sealed class BlobByteSource : IByteSource
{
    private readonly BlobBaseClient _blob;
    private readonly ETag _etag;
    private readonly bool _pinned;

    private BlobByteSource(BlobBaseClient blob, long length, ETag etag, bool pinned)
    {
        _blob = blob;
        Length = length;
        _etag = etag;
        _pinned = pinned;
        Name = new UriBuilder(blob.Uri) { Query = string.Empty }.Uri.ToString();
    }

    /// <summary>
    /// Opens a blob: one properties request for its length and ETag. With <paramref name="pin"/>, the blob must still be
    /// that version (the same ETag, or the same Content-MD5 after an identical upload), else <see cref="InputChangedException"/>.
    /// </summary>
    public static BlobByteSource Open(BlobBaseClient blob, InputVersion? pin, CancellationToken cancellationToken = default)
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

        if (pin is not null && !pin.Matches(properties.ETag.ToString(), properties.ContentHash))
        {
            throw new InputChangedException(QualifiedName(blob), pin.ETag);
        }

        return new BlobByteSource(blob, properties.ContentLength, properties.ETag, pin is not null);
    }

    /// <summary>Opens a blob at whatever version it has now (see <see cref="Open(BlobBaseClient, InputVersion?, CancellationToken)"/>).</summary>
    public static BlobByteSource Open(BlobBaseClient blob, CancellationToken cancellationToken = default) => Open(blob, null, cancellationToken);

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
        BlobDownloadStreamingResult result;
        try
        {
            result = _blob.DownloadStreaming(options, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412 && _pinned)
        {
            throw new InputChangedException(QualifiedName(_blob), _etag.ToString());
        }

        using var stream = result.Content;
        stream.ReadExactly(destination);
    }

    private static string QualifiedName(BlobBaseClient blob) => $"{blob.BlobContainerName}/{blob.Name}";

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
