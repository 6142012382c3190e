using Cki.Contracts.Jobs;
using Cki.Contracts.Storage;

namespace Cki.Contracts.Documents;

/// <summary>
/// One JSON document of a run in storage: where it lives, its type, and the most bytes a reader accepts. Every
/// document is read and written in one JSON convention (<see cref="JobJson"/>: snake_case, bounded, unknown fields refused);
/// <see cref="RunDocuments"/> is the catalogue of them.
/// </summary>
/// <typeparam name="T">The record it holds.</typeparam>
/// <param name="Container">Its container.</param>
/// <param name="Name">Its name in the container.</param>
/// <param name="MaxBytes">The most bytes a reader accepts.</param>
public sealed record RunDocument<T>(string Container, string Name, long MaxBytes = JobJson.MaxDocumentBytes)
{
    /// <summary>The document as <c>container/name</c>, the form specs and errors use.</summary>
    public string Qualified => BlobLayout.Qualified(Container, Name);

    /// <summary>Reads the document from its bytes; a clear error naming it when they are not one.</summary>
    public T Parse(ReadOnlySpan<byte> content) =>
        content.Length > MaxBytes
            ? throw new InvalidDataException($"{Qualified}: {content.Length} bytes, over the limit of {MaxBytes} for this document.")
            : JobJson.Deserialize<T>(content, Qualified);

    /// <summary>The document's bytes.</summary>
    public byte[] Serialize(T value) => JobJson.Serialize(value);
}
