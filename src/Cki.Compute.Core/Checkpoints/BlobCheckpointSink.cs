using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Cki.Compute.Checkpoints;

/// <summary>
/// Writes a block blob as staged blocks and commits the block list on <see cref="Commit"/>: until then the
/// blob keeps its previous content (or does not exist), so a failed write publishes nothing. The commit sets the
/// blob's Content-MD5 (its content identity: identical bytes, identical value), hashed in blob order while writing;
/// a header patched after its block was hashed leaves the hash unknown, and then none is set.
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
    // The first block is staged only at commit, so the header it holds can still be patched.
    private byte[]? _firstBlock;
    private int _firstFilled;
    // MD5 of the bytes in blob order: the first block is hashed when the second one starts, the rest as staged.
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private bool _md5Valid = true;

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
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        while (!bytes.IsEmpty)
        {
            var take = Math.Min(bytes.Length, BlockBytes - _filled);
            bytes[..take].CopyTo(_buffer.AsSpan(_filled));
            _filled += take;
            bytes = bytes[take..];
            if (_filled == BlockBytes)
            {
                StageBuffer(cancellationToken);
            }
        }
    }

    /// <inheritdoc />
    public long PatchableBytes => BlockBytes;

    /// <inheritdoc />
    public void Patch(long offset, ReadOnlySpan<byte> bytes)
    {
        var (block, filled) = _firstBlock is null ? (_buffer, _filled) : (_firstBlock, _firstFilled);
        if (block is null || offset < 0 || offset + bytes.Length > filled)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"{Name}: only written bytes of the first {BlockBytes} can be patched.");
        }

        bytes.CopyTo(block.AsSpan((int)offset));
        _md5Valid &= _blocks.Count == 0;
    }

    /// <inheritdoc />
    public void Commit(CancellationToken cancellationToken = default)
    {
        if (_filled > 0)
        {
            StageBuffer(cancellationToken);
        }

        if (_firstBlock is not null)
        {
            if (_blocks.Count == 0)
            {
                _md5.AppendData(_firstBlock, 0, _firstFilled);
            }

            _blocks.Insert(0, Stage(_firstBlock, _firstFilled, "first", cancellationToken));
        }

        var headers = new BlobHttpHeaders { ContentHash = _md5Valid ? _md5.GetHashAndReset() : null };
        _blob.CommitBlockList(_blocks, headers, cancellationToken: cancellationToken);
        Dispose();
    }

    private void StageBuffer(CancellationToken cancellationToken)
    {
        if (_firstBlock is null)
        {
            // Keep the first block for patching; take a fresh buffer for the rest.
            (_firstBlock, _firstFilled) = (_buffer, _filled);
            _buffer = ArrayPool<byte>.Shared.Rent(BlockBytes);
        }
        else
        {
            if (_blocks.Count == 0)
            {
                // From here on the first block's bytes count as final: a later patch voids the hash.
                _md5.AppendData(_firstBlock, 0, _firstFilled);
            }

            _md5.AppendData(_buffer!, 0, _filled);
            _blocks.Add(Stage(_buffer!, _filled, _blocks.Count.ToString("D8", CultureInfo.InvariantCulture), cancellationToken));
        }

        _filled = 0;
    }

    private string Stage(byte[] buffer, int length, string suffix, CancellationToken cancellationToken)
    {
        var id = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{_prefix}-{suffix,8}"));
        using var content = new MemoryStream(buffer, 0, length, writable: false);
        _blob.StageBlock(id, content, cancellationToken: cancellationToken);
        return id;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _md5.Dispose();
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        if (_firstBlock is not null)
        {
            ArrayPool<byte>.Shared.Return(_firstBlock);
            _firstBlock = null;
        }
    }
}
