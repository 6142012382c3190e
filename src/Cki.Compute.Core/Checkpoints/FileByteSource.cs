using Microsoft.Win32.SafeHandles;

namespace Cki.Compute.Checkpoints;

/// <summary>A local file read by positioned reads (no shared file position, no buffering of our own).</summary>
public sealed class FileByteSource : IByteSource
{
    private readonly SafeFileHandle _handle;

    /// <summary>Opens <paramref name="path"/> for reading.</summary>
    public FileByteSource(string path)
    {
        Name = path;
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        Length = RandomAccess.GetLength(_handle);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public long Length { get; }

    /// <inheritdoc />
    public void ReadExactly(long offset, Span<byte> destination, CancellationToken cancellationToken = default)
    {
        while (!destination.IsEmpty)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = RandomAccess.Read(_handle, destination, offset);
            if (read == 0)
            {
                throw new EndOfStreamException($"{Name}: ends at byte {offset}, before the {destination.Length} bytes asked for.");
            }

            destination = destination[read..];
            offset += read;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();
}
