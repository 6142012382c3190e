using System.Buffers.Binary;
using Azure;
using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Cki.Contracts.Checkpoints;
using Cki.Contracts.Documents;
using Cki.Contracts.Storage;

namespace Cki.Workflow.Storage;

/// <summary>A blob's name, ETag and size, as a listing gives them.</summary>
/// <param name="Name">The name in its container.</param>
/// <param name="ETag">Its ETag (the version the triggers and the run id use).</param>
/// <param name="Length">Its size in bytes.</param>
/// <param name="LastModified">When it was last written (storage's clock).</param>
/// <param name="ContentMd5">The MD5 of its content as storage keeps it (base64), when the writer or storage set one; identical bytes give the same value.</param>
public sealed record BlobItemInfo(string Name, string ETag, long Length, DateTimeOffset LastModified = default, string? ContentMd5 = null);

/// <summary>
/// The workflow's access to the deployment's storage account: listings, small documents with ETag conditions, and
/// checkpoint headers by range read. Never reads tensor data.
/// </summary>
public sealed class WorkflowStorage : IDocumentBlobs
{
    private readonly BlobServiceClient _service;

    /// <summary>Storage from a connection string (Azurite, or an account key).</summary>
    public WorkflowStorage(string connectionString) => _service = new BlobServiceClient(connectionString);

    /// <summary>Storage by account URL and a credential (managed identity in Azure).</summary>
    public WorkflowStorage(Uri accountUrl, TokenCredential credential) => _service = new BlobServiceClient(accountUrl, credential);

    /// <summary>Storage through a client the caller configured (its pipeline, e.g. a test's fault injection).</summary>
    public WorkflowStorage(BlobServiceClient service) => _service = service ?? throw new ArgumentNullException(nameof(service));

    /// <summary>The account's blob endpoint (<c>.../</c>).</summary>
    public Uri AccountUrl => _service.Uri;

    /// <summary>The URL of a blob, for a job to open.</summary>
    public Uri Url(string container, string name) => _service.GetBlobContainerClient(container).GetBlobClient(name).Uri;

    /// <summary>Creates the layout's containers if they are missing.</summary>
    public async Task EnsureContainersAsync(CancellationToken cancellationToken)
    {
        foreach (var name in new[] { BlobLayout.CheckpointsContainer, BlobLayout.DataContainer, BlobLayout.RunsContainer, BlobLayout.IntegratedContainer, BlobLayout.HostContainer })
        {
            await _service.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every blob under <paramref name="prefix"/> in <paramref name="container"/> (none when the container does not exist).</summary>
    public async Task<IReadOnlyList<BlobItemInfo>> ListAsync(string container, string? prefix, CancellationToken cancellationToken)
    {
        var items = new List<BlobItemInfo>();
        var client = _service.GetBlobContainerClient(container);
        try
        {
            // One request a page: a missing container answers 404 to the listing itself, so it is not asked about first.
            await foreach (var item in client.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken).ConfigureAwait(false))
            {
                items.Add(new BlobItemInfo(item.Name, item.Properties.ETag is { } tag ? Quoted(tag) : "", item.Properties.ContentLength ?? 0,
                    item.Properties.LastModified ?? default, item.Properties.ContentHash is { Length: > 0 } md5 ? Convert.ToBase64String(md5) : null));
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }

        return items;
    }

    /// <summary>A small blob whole with its ETag, or null when it does not exist; an error naming it past <paramref name="maxBytes"/>.</summary>
    public async Task<(byte[] Content, string ETag)?> ReadSmallAsync(string container, string name, long maxBytes, CancellationToken cancellationToken)
    {
        var blob = _service.GetBlobContainerClient(container).GetBlobClient(name);
        try
        {
            // One request: the answer's headers give the size before its body is read, and content and ETag are of one version.
            var download = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            await using var body = download.Content.ConfigureAwait(false);
            if (download.Details.ContentLength > maxBytes)
            {
                throw new InvalidDataException($"{container}/{name}: {download.Details.ContentLength} bytes, over the limit of {maxBytes}.");
            }

            var content = new byte[download.Details.ContentLength];
            await download.Content.ReadExactlyAsync(content, cancellationToken).ConfigureAwait(false);
            return (content, Quoted(download.Details.ETag));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Opens a blob of any size for one streaming read (under the ETag it has now, so a replacement fails the read rather
    /// than mixing versions), with its length; null when it does not exist. The caller disposes the stream.
    /// </summary>
    public async Task<(Stream Content, long Length)?> OpenReadAsync(string container, string name, CancellationToken cancellationToken)
    {
        var blob = _service.GetBlobContainerClient(container).GetBlobClient(name);
        try
        {
            var download = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            return (download.Content, download.Details.ContentLength);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes a small blob. <paramref name="ifMatch"/>: null overwrites, <c>*</c>-less empty string creates only when
    /// absent, an ETag replaces only that version. Returns the new ETag, or null when the condition failed.
    /// </summary>
    public async Task<string?> WriteSmallAsync(string container, string name, byte[] content, string? ifMatch, CancellationToken cancellationToken)
    {
        var blob = _service.GetBlobContainerClient(container).GetBlobClient(name);
        var conditions = ifMatch switch
        {
            null => null,
            "" => new BlobRequestConditions { IfNoneMatch = ETag.All },
            _ => new BlobRequestConditions { IfMatch = new ETag(ifMatch) },
        };
        try
        {
            var info = await blob.UploadAsync(BinaryData.FromBytes(content), new BlobUploadOptions { Conditions = conditions }, cancellationToken).ConfigureAwait(false);
            return Quoted(info.Value.ETag);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return null;
        }
    }

    /// <summary>Deletes a blob if it exists (and, given <paramref name="ifMatch"/>, only that version); true when it did.</summary>
    public async Task<bool> DeleteAsync(string container, string name, string? ifMatch, CancellationToken cancellationToken)
    {
        try
        {
            return (await _service.GetBlobContainerClient(container).GetBlobClient(name).DeleteIfExistsAsync(
                conditions: ifMatch is null ? null : new BlobRequestConditions { IfMatch = new ETag(ifMatch) }, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    /// <summary>
    /// The validated safetensors header of a blob, read by two range reads (the length prefix, then the header)
    /// under the ETag <paramref name="etag"/>; errors name the blob.
    /// </summary>
    public async Task<SafetensorsHeader> ReadHeaderAsync(string container, string name, string etag, CancellationToken cancellationToken)
    {
        var blob = _service.GetBlobContainerClient(container).GetBlobClient(name);
        var qualified = $"{container}/{name}";
        try
        {
            var length = (await blob.GetPropertiesAsync(new BlobRequestConditions { IfMatch = new ETag(etag) }, cancellationToken).ConfigureAwait(false)).Value.ContentLength;
            if (length < 8)
            {
                throw new CheckpointFormatException(qualified, CheckpointRule.FileTooShort, $"the file has {length} bytes, fewer than the 8-byte header length.");
            }

            var prefix = await ReadRangeAsync(blob, 0, 8, etag, cancellationToken).ConfigureAwait(false);
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength > (ulong)SafetensorsHeaderParser.MaxHeaderLength || (long)headerLength > length - 8)
            {
                throw new CheckpointFormatException(qualified, headerLength > (ulong)SafetensorsHeaderParser.MaxHeaderLength ? CheckpointRule.HeaderTooLarge : CheckpointRule.HeaderBeyondFile,
                    $"the header length {headerLength} is over the limit of {SafetensorsHeaderParser.MaxHeaderLength} or past the end of the file ({length} bytes).");
            }

            var json = await ReadRangeAsync(blob, 8, (int)headerLength, etag, cancellationToken).ConfigureAwait(false);
            return SafetensorsHeaderParser.Parse(qualified, json, length - 8 - (long)headerLength);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new FileNotFoundException($"{qualified}: no such blob.", qualified, e);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new InvalidOperationException($"{qualified}: changed while the run was starting (ETag {etag} no longer matches); a new run will pick up the new version.", e);
        }
    }

    // One form for every ETag the workflow keeps (listings give them bare, reads quoted): the quoted HTTP form.
    private static string Quoted(ETag tag) => $"\"{tag.ToString().Trim('"')}\"";

    private static async Task<byte[]> ReadRangeAsync(BlobClient blob, long offset, int count, string etag, CancellationToken cancellationToken)
    {
        var response = await blob.DownloadContentAsync(new BlobDownloadOptions
        {
            Range = new HttpRange(offset, count),
            Conditions = new BlobRequestConditions { IfMatch = new ETag(etag) },
        }, cancellationToken).ConfigureAwait(false);
        var bytes = response.Value.Content.ToArray();
        return bytes.Length == count ? bytes : throw new EndOfStreamException($"{blob.BlobContainerName}/{blob.Name}: {bytes.Length} bytes at {offset}, expected {count}.");
    }
}
