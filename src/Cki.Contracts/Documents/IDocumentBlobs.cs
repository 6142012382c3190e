namespace Cki.Contracts.Documents;

/// <summary>
/// Small blobs read and written whole, with ETag conditions: what <see cref="DocumentStore"/> needs of a storage
/// account. The workflow's storage implements it; a job reads and writes through its own storage's documents.
/// </summary>
public interface IDocumentBlobs
{
    /// <summary>A small blob whole with its ETag, or null when it does not exist; an error naming it past <paramref name="maxBytes"/>.</summary>
    Task<(byte[] Content, string ETag)?> ReadSmallAsync(string container, string name, long maxBytes, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a small blob. <paramref name="ifMatch"/>: null overwrites, an empty string creates only when absent, an
    /// ETag replaces only that version. Returns the new ETag, or null when the condition failed.
    /// </summary>
    Task<string?> WriteSmallAsync(string container, string name, byte[] content, string? ifMatch, CancellationToken cancellationToken);
}
