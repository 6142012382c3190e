
namespace Cki.Compute.Tests.Checkpoints;

/// <summary>Bytes in memory as a checkpoint source, for tests that open thousands of small files.</summary>
internal sealed class MemoryByteSource(string name, byte[] bytes) : IByteSource
{
    public string Name => name;

    public long Length => bytes.Length;

    public void ReadExactly(long offset, Span<byte> destination, CancellationToken cancellationToken = default)
    {
        if (offset < 0 || offset + destination.Length > bytes.Length)
        {
            throw new EndOfStreamException($"{name}: ends at byte {bytes.Length}.");
        }

        bytes.AsSpan((int)offset, destination.Length).CopyTo(destination);
    }

    public void Dispose()
    {
    }
}
