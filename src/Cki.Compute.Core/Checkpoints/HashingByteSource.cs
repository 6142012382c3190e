using System.Buffers;
using System.Security.Cryptography;

namespace Cki.Compute.Checkpoints;

/// <summary>
/// Computes the SHA-256 of a source as a side effect of reading it: a read that continues where the hashed prefix
/// ends is hashed straight from the caller's buffer, on the reading thread, before the read returns (no copy and
/// no second pass over the bytes). A merge reads every tensor in file order, each input on its own task, so the
/// inputs are hashed side by side while the previous tensor merges; <see cref="Finish"/> reads whatever was
/// skipped or read out of order.
/// </summary>
public sealed class HashingByteSource : IByteSource
{
    private const int BlockBytes = 8 << 20;

    private readonly IByteSource _inner;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    // Reads of one source from two threads at once would hash in whichever order they finish: one at a time.
    private readonly Lock _order = new();
    private long _hashed;
    private string? _digest;

    /// <summary>Wraps <paramref name="inner"/>; the wrapper owns it.</summary>
    public HashingByteSource(IByteSource inner) => _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <inheritdoc />
    public long Length => _inner.Length;

    /// <summary>Bytes read again by <see cref="Finish"/> because they were skipped or read out of order.</summary>
    public long RereadBytes { get; private set; }

    /// <inheritdoc />
    public void ReadExactly(long offset, Span<byte> destination, CancellationToken cancellationToken = default)
    {
        lock (_order)
        {
            _inner.ReadExactly(offset, destination, cancellationToken);
            if (_digest is null && offset == _hashed)
            {
                _hash.AppendData(destination);
                _hashed += destination.Length;
            }
        }
    }

    /// <summary>The SHA-256 of the whole source as lowercase hex, reading what the hash has not seen yet.</summary>
    public string Finish(CancellationToken cancellationToken = default)
    {
        lock (_order)
        {
            if (_digest is not null)
            {
                return _digest;
            }

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
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _hash.Dispose();
        _inner.Dispose();
    }
}
