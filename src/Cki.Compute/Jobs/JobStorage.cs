using Azure.Storage.Blobs;
using Cki.Compute.Checkpoints;
using Cki.Contracts.Documents;
using Cki.Contracts.Jobs;
using Cki.Contracts.Storage;

namespace Cki.Compute.Jobs;

/// <summary>
/// The storage account a job works in: turns the <c>container/name</c> blob names of specs into URLs the checkpoint
/// reader and writer open (authenticated by <see cref="BlobClients"/>), and reads and writes the small documents of
/// a run with a size bound.
/// </summary>
public sealed class JobStorage
{
    private readonly string _account;
    private readonly BlobClients _blobs;
    private readonly Dictionary<string, InputVersion> _pins;

    /// <summary>The storage rooted at <paramref name="accountUrl"/> (e.g. <c>https://acct.blob.core.windows.net/</c>).</summary>
    public JobStorage(string accountUrl, BlobClients blobs)
        : this(accountUrl, blobs, new Dictionary<string, InputVersion>(StringComparer.Ordinal))
    {
    }

    private JobStorage(string accountUrl, BlobClients blobs, Dictionary<string, InputVersion> pins)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountUrl);
        _account = accountUrl.TrimEnd('/') + "/";
        _blobs = blobs;
        _pins = pins;
    }

    /// <summary>How checkpoints in this account are opened (pinned inputs at their versions only).</summary>
    public CheckpointLocations Locations => new(_blobs, _pins);

    /// <summary>This storage, reading the blobs of <paramref name="versions"/> (<c>container/name</c>) only at those versions.</summary>
    public JobStorage PinnedTo(IReadOnlyDictionary<string, InputVersion> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return new JobStorage(_account, _blobs, versions.ToDictionary(v => CheckpointLocations.PinKey(Url(v.Key)), v => v.Value, StringComparer.Ordinal));
    }

    /// <summary>
    /// The storage of a spec: the account of its blob URL, or, for a local spec file, the account of
    /// <paramref name="connectionString"/> (<see cref="ComputeVariables.StorageConnectionString"/>).
    /// </summary>
    public static JobStorage For(string specLocation, string? connectionString)
    {
        var blobs = new BlobClients(connectionString);
        if (BlobClients.IsUrl(specLocation))
        {
            var parts = new BlobUriBuilder(new Uri(specLocation)) { BlobContainerName = "", BlobName = "", Query = "" };
            return new JobStorage(parts.ToUri().ToString(), blobs);
        }

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"A local spec file needs the storage account: set {ComputeVariables.StorageConnectionString}, or pass the spec as a blob URL.");
        }

        return new JobStorage(new BlobServiceClient(connectionString).Uri.ToString(), blobs);
    }

    /// <summary>The URL of a <c>container/name</c> blob name.</summary>
    public string Url(string qualified)
    {
        var (container, name) = BlobLayout.Split(qualified);
        return _account + container + "/" + string.Join('/', name.Split('/').Select(Uri.EscapeDataString));
    }

    /// <summary>Reads a small blob whole; an error naming it when it is missing or over <paramref name="maxBytes"/>.</summary>
    public byte[] ReadSmall(string qualified, long maxBytes, CancellationToken cancellationToken)
    {
        var blob = _blobs.Blob(Url(qualified));
        try
        {
            var length = blob.GetProperties(cancellationToken: cancellationToken).Value.ContentLength;
            if (length > maxBytes)
            {
                throw new InvalidDataException($"{qualified}: {length} bytes, over the limit of {maxBytes}.");
            }

            return blob.DownloadContent(cancellationToken).Value.Content.ToArray();
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            throw new FileNotFoundException($"{qualified}: no such blob.", qualified, e);
        }
    }

    /// <summary>Writes a small blob whole, replacing any earlier one (jobs are idempotent).</summary>
    public void WriteSmall(string qualified, byte[] content, CancellationToken cancellationToken) =>
        _blobs.Blob(Url(qualified)).Upload(new MemoryStream(content), cancellationToken: cancellationToken);

    /// <summary>Reads a run document; an error naming it when it is missing, too large or not valid.</summary>
    public T Read<T>(RunDocument<T> document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.Parse(ReadSmall(document.Qualified, document.MaxBytes, cancellationToken));
    }

    /// <summary>Writes a run document whole, replacing any earlier one (jobs are idempotent).</summary>
    public void Write<T>(RunDocument<T> document, T value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        WriteSmall(document.Qualified, document.Serialize(value), cancellationToken);
    }

    /// <summary>Downloads a data blob into <paramref name="path"/>; an error naming it when over <paramref name="maxBytes"/>.</summary>
    public void Download(string qualified, string path, long maxBytes, CancellationToken cancellationToken)
    {
        var blob = _blobs.Blob(Url(qualified));
        try
        {
            var properties = blob.GetProperties(cancellationToken: cancellationToken).Value;
            if (properties.ContentLength > maxBytes)
            {
                throw new InvalidDataException($"{qualified}: {properties.ContentLength} bytes, over the limit of {maxBytes}.");
            }

            blob.DownloadTo(path, new Azure.Storage.Blobs.Models.BlobDownloadToOptions
            {
                Conditions = new Azure.Storage.Blobs.Models.BlobRequestConditions { IfMatch = properties.ETag },
            }, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            throw new FileNotFoundException($"{qualified}: no such blob.", qualified, e);
        }
    }
}
