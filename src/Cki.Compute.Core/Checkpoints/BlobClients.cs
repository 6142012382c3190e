using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;

namespace Cki.Compute.Checkpoints;

/// <summary>
/// Turns a blob URL into an authenticated client. A configured connection string is used for URLs under its
/// blob endpoint (Azurite, or a storage account with a key); a URL carrying a SAS is used as it is; anything
/// else goes through <see cref="DefaultAzureCredential"/> (managed or workload identity in Azure).
/// </summary>
public sealed class BlobClients
{
    private readonly BlobServiceClient? _service;
    private readonly Lazy<DefaultAzureCredential> _credential = new(() => new DefaultAzureCredential());

    /// <summary>Creates the factory; <paramref name="connectionString"/> may be null.</summary>
    public BlobClients(string? connectionString)
    {
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            _service = new BlobServiceClient(connectionString);
        }
    }

    /// <summary>Whether <paramref name="location"/> is an http(s) URL rather than a local path.</summary>
    public static bool IsUrl(string location) =>
        location.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ||
        location.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    /// <summary>A client for the blob at <paramref name="url"/>.</summary>
    public BlockBlobClient Blob(string url)
    {
        var uri = new Uri(url);
        var parts = new BlobUriBuilder(uri);
        if (string.IsNullOrEmpty(parts.BlobContainerName) || string.IsNullOrEmpty(parts.BlobName))
        {
            throw new ArgumentException($"'{url}' does not name a blob (expected .../container/name).", nameof(url));
        }

        if (_service is not null && url.StartsWith(_service.Uri.ToString().TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase))
        {
            return _service.GetBlobContainerClient(parts.BlobContainerName).GetBlockBlobClient(parts.BlobName);
        }

        return !string.IsNullOrEmpty(parts.Sas?.Signature)
            ? new BlockBlobClient(uri)
            : new BlockBlobClient(uri, _credential.Value);
    }
}
