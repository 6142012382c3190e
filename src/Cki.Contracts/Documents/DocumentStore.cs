namespace Cki.Contracts.Documents;

/// <summary>Reading and writing run documents (<see cref="RunDocument{T}"/>) through any <see cref="IDocumentBlobs"/>.</summary>
public static class DocumentStore
{
    extension(IDocumentBlobs blobs)
    {
        /// <summary>The document, or null when it does not exist; an error naming it when it is not a valid one.</summary>
        public async Task<T?> ReadAsync<T>(RunDocument<T> document, CancellationToken cancellationToken)
            where T : class =>
            await blobs.ReadVersionedAsync(document, cancellationToken).ConfigureAwait(false) is { } read ? read.Value : null;

        /// <summary>The document with its ETag, or null when it does not exist.</summary>
        public async Task<(T Value, string ETag)?> ReadVersionedAsync<T>(RunDocument<T> document, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(blobs);
            ArgumentNullException.ThrowIfNull(document);
            var read = await blobs.ReadSmallAsync(document.Container, document.Name, document.MaxBytes, cancellationToken).ConfigureAwait(false);
            return read is { } found ? (document.Parse(found.Content), found.ETag) : null;
        }

        /// <summary>
        /// <c>latest.json</c> of <paramref name="family"/> as it stands: its bytes and ETag, and the run it names, read
        /// leniently (<see cref="Runs.LatestPointer"/>: null when it names none); null when there is no pointer.
        /// </summary>
        public async Task<(Runs.PublishedRun? Run, byte[] Content, string ETag)?> ReadLatestAsync(string family, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(blobs);
            var latest = RunDocuments.Latest(family);
            return await blobs.ReadSmallAsync(latest.Container, latest.Name, latest.MaxBytes, cancellationToken).ConfigureAwait(false) is { } read
                ? (Runs.LatestPointer.Read(read.Content), read.Content, read.ETag)
                : null;
        }

        /// <summary>Writes the document (<paramref name="ifMatch"/> as in <see cref="IDocumentBlobs.WriteSmallAsync"/>); its new ETag, or null when the condition failed.</summary>
        public Task<string?> WriteAsync<T>(RunDocument<T> document, T value, CancellationToken cancellationToken, string? ifMatch = null)
        {
            ArgumentNullException.ThrowIfNull(blobs);
            ArgumentNullException.ThrowIfNull(document);
            return blobs.WriteSmallAsync(document.Container, document.Name, document.Serialize(value), ifMatch, cancellationToken);
        }
    }
}
