using System.Buffers;
using System.Globalization;
using System.Text;
using Azure.Storage.Blobs.Specialized;

namespace Cki.Compute.Checkpoints;

/// <summary>
/// Writes a block blob as staged blocks and commits the block list on <see cref="Commit"/>: until then the
/// blob keeps its previous content (or does not exist), so a failed write publishes nothing.
/// </summary>
public sealed class BlobCheckpointSink : ICheckpointSink
{
    /// <summary>Size of one staged block.</summary>
    internal const int BlockBytes = 8 << 20;

    private readonly BlockBlobClient _blob;
    private readonly List<string> _blocks = [];
    private readonly string _prefix = Guid.NewGuid().ToString("N");
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(BlockBytes);
    private int _filled;

    /// <summary>Starts writing <paramref name="blob"/>.</summary>
    public BlobCheckpointSink(BlockBlobClient blob)
    {
        _blob = blob ?? throw new ArgumentNullException(nameof(blob));
        Name = new UriBuilder(blob.Uri) { Query = string.Empty }.Uri.ToString();
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public void Write(ReadOnlySpan<byte> bytes, CancellationToken cancellationToken = default)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(Name);
        while (!bytes.IsEmpty)
        {
            var take = Math.Min(bytes.Length, BlockBytes - _filled);
            bytes[..take].CopyTo(buffer.AsSpan(_filled));
            _filled += take;
            bytes = bytes[take..];
            if (_filled == BlockBytes)
            {
                StageBuffer(cancellationToken);
            }
        }
    }

    /// <inheritdoc />
    public void Commit(CancellationToken cancellationToken = default)
    {
        if (_filled > 0)
        {
            StageBuffer(cancellationToken);
        }

        _blob.CommitBlockList(_blocks, cancellationToken: cancellationToken);
        Dispose();
    }

    private void StageBuffer(CancellationToken cancellationToken)
    {
        var id = Convert.ToBase64String(Encoding.ASCII.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{_prefix}-{_blocks.Count:D8}")));
        using var content = new MemoryStream(_buffer!, 0, _filled, writable: false);
        _blob.StageBlock(id, content, cancellationToken: cancellationToken);
        _blocks.Add(id);
        _filled = 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
