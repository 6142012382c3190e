using System.Buffers;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace Cki.Compute.Checkpoints;

/// <summary>
/// Computes the SHA-256 of a source as a side effect of reading it: reads that continue where the hashed prefix
/// ends are copied into small pooled blocks and hashed on a background task (SHA-256 runs at about 1.3 GB/s on
/// one core here, too slow for the read path), so a merge that reads every tensor in file order hashes its inputs
/// almost for free; <see cref="Finish"/> reads whatever was skipped or read out of order.
/// </summary>
public sealed class HashingByteSource : IByteSource
{
    private const int BlockBytes = 8 << 20;

    private readonly IByteSource _inner;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    // At most four blocks wait for the hasher: 32 MB per file, and reads wait when it falls behind.
    private readonly Channel<(byte[] Block, int Length)> _pending = Channel.CreateBounded<(byte[], int)>(4);
    private readonly Task _hasher;
    private long _hashed;
    private string? _digest;

    /// <summary>Wraps <paramref name="inner"/>; the wrapper owns it.</summary>
    public HashingByteSource(IByteSource inner)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _hasher = Task.Run(async () =>
        {
            await foreach (var (block, length) in _pending.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                _hash.AppendData(block, 0, length);
                ArrayPool<byte>.Shared.Return(block);
            }
        });
    }

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <inheritdoc />
    public long Length => _inner.Length;

    /// <summary>Bytes read again by <see cref="Finish"/> because they were skipped or read out of order.</summary>
    public long RereadBytes { get; private set; }

    /// <inheritdoc />
    public void ReadExactly(long offset, Span<byte> destination, CancellationToken cancellationToken = default)
    {
        _inner.ReadExactly(offset, destination, cancellationToken);
        if (_digest is not null || offset != _hashed)
        {
            return;
        }

        for (var start = 0; start < destination.Length; start += BlockBytes)
        {
            var length = Math.Min(BlockBytes, destination.Length - start);
            var block = ArrayPool<byte>.Shared.Rent(BlockBytes);
            destination.Slice(start, length).CopyTo(block);
            if (!_pending.Writer.TryWrite((block, length)))
            {
                _pending.Writer.WriteAsync((block, length), cancellationToken).AsTask().GetAwaiter().GetResult();
            }
        }

        _hashed += destination.Length;
    }

    /// <summary>The SHA-256 of the whole source as lowercase hex, reading what the hash has not seen yet.</summary>
    public string Finish(CancellationToken cancellationToken = default)
    {
        if (_digest is not null)
        {
            return _digest;
        }

        _pending.Writer.TryComplete();
        _hasher.GetAwaiter().GetResult();
        var buffer = ArrayPool<byte>.Shared.Rent(BlockBytes);
        try
        {
            while (_hashed < Length)
            {
                var span = buffer.AsSpan(0, (int)Math.Min(BlockBytes, Length - _hashed));
                _inner.ReadExactly(_hashed, span, cancellationToken);
                _hash.AppendData(span);
                _hashed += span.Length;
                RereadBytes += span.Length;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _digest = Convert.ToHexStringLower(_hash.GetHashAndReset());
        return _digest;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _pending.Writer.TryComplete();
        try
        {
            _hasher.GetAwaiter().GetResult();
        }
        finally
        {
            _hash.Dispose();
            _inner.Dispose();
        }
    }
}
