using System.Security.Cryptography;

namespace Cki.Compute.Checkpoints;

/// <summary>
/// Computes the SHA-256 of a source as a side effect of reading it: reads that continue where the hashed prefix
/// ends are hashed as they pass, so a merge that reads every tensor in file order hashes its inputs for free;
/// <see cref="Finish"/> reads whatever was skipped or read out of order.
/// </summary>
public sealed class HashingByteSource(IByteSource inner) : IByteSource
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _hashed;
    private string? _digest;

    /// <inheritdoc />
    public string Name => inner.Name;

    /// <inheritdoc />
    public long Length => inner.Length;

    /// <summary>Bytes read again by <see cref="Finish"/> because they were skipped or read out of order.</summary>
    public long RereadBytes { get; private set; }

    /// <inheritdoc />
    public void ReadExactly(long offset, Span<byte> destination, CancellationToken cancellationToken = default)
    {
        inner.ReadExactly(offset, destination, cancellationToken);
        if (_digest is null && offset == _hashed)
        {
            _hash.AppendData(destination);
            _hashed += destination.Length;
        }
    }

    /// <summary>The SHA-256 of the whole source as lowercase hex, reading what the hash has not seen yet.</summary>
    public string Finish(CancellationToken cancellationToken = default)
    {
        if (_digest is not null)
        {
            return _digest;
        }

        var buffer = new byte[(int)Math.Min(Math.Max(Length - _hashed, 1), 8 << 20)];
        while (_hashed < Length)
        {
            var span = buffer.AsSpan(0, (int)Math.Min(buffer.Length, Length - _hashed));
            inner.ReadExactly(_hashed, span, cancellationToken);
            _hash.AppendData(span);
            _hashed += span.Length;
            RereadBytes += span.Length;
        }

        _digest = Convert.ToHexStringLower(_hash.GetHashAndReset());
        return _digest;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _hash.Dispose();
        inner.Dispose();
    }
}
