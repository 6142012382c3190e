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

        /// <summary>Writes the document (<paramref name="ifMatch"/> as in <see cref="IDocumentBlobs.WriteSmallAsync"/>); its new ETag, or null when the condition failed.</summary>
        public Task<string?> WriteAsync<T>(RunDocument<T> document, T value, CancellationToken cancellationToken, string? ifMatch = null)
        {
            ArgumentNullException.ThrowIfNull(blobs);
            ArgumentNullException.ThrowIfNull(document);
            return blobs.WriteSmallAsync(document.Container, document.Name, document.Serialize(value), ifMatch, cancellationToken);
        }
    }
}
