namespace Cki.Contracts.Checkpoints;

/// <summary>
/// Random access to the bytes of one file or blob, by range, so that a reader never has to take the whole of it.
/// </summary>
public interface IByteSource : IDisposable
{
    /// <summary>A name for messages: the path or the blob URL (without query string).</summary>
    string Name { get; }

    /// <summary>The size in bytes, read once when the source is opened.</summary>
    long Length { get; }

    /// <summary>
    /// Fills <paramref name="destination"/> with the bytes at <paramref name="offset"/>; throws
    /// <see cref="EndOfStreamException"/> if the source ends first.
    /// </summary>
    void ReadExactly(long offset, Span<byte> destination, CancellationToken cancellationToken = default);
}
