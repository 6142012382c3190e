using Azure.Storage.Blobs;
using Cki.Compute.Checkpoints;

namespace Cki.Compute.Merging;

/// <summary>
/// How provenance names an input, so that it means the same on another machine and carries no secret: a blob by
/// its container and name (no account endpoint, no SAS), a local file by its path relative to the config file's
/// folder, never an absolute local path.
/// </summary>
public static class ProvenanceNames
{
    /// <summary>The name of <paramref name="location"/>; local paths relative to <paramref name="folder"/> (the current folder when null).</summary>
    public static string Of(string location, string? folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        if (BlobClients.IsUrl(location))
        {
            var uri = new Uri(location);
            var parts = new BlobUriBuilder(uri);
            return string.IsNullOrEmpty(parts.BlobContainerName) ? uri.GetLeftPart(UriPartial.Path) : $"{parts.BlobContainerName}/{parts.BlobName}";
        }

        return Path.GetRelativePath(folder ?? Environment.CurrentDirectory, Path.GetFullPath(location)).Replace('\\', '/');
    }
}
