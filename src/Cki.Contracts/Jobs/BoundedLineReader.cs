namespace Cki.Contracts.Jobs;

/// <summary>A line read by <see cref="BoundedLineReader"/>: its bytes, or, for a line over the bound, only its length.</summary>
/// <param name="Bytes">The line without its LF; empty when <see cref="TooLong"/>.</param>
/// <param name="Length">The line's length in bytes.</param>
/// <param name="TooLong">Whether the line was longer than the bound (its bytes were skipped, not kept).</param>
public sealed record BoundedLine(byte[] Bytes, long Length, bool TooLong);

/// <summary>
/// Reads LF-terminated lines from a pipe holding at most the bound in memory: a longer line is skipped to its end
/// and reported as too long, so one bad line neither exhausts memory nor stops the reading of the next.
/// </summary>
public sealed class BoundedLineReader
{
    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;

    /// <summary>Reads from <paramref name="stream"/>, lines of at most <paramref name="maxLineBytes"/> bytes.</summary>
    public BoundedLineReader(Stream stream, int maxLineBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        _stream = stream;
        _maxLineBytes = maxLineBytes;
        _buffer = new byte[maxLineBytes + 1]; // room for the longest line and its LF
    }

    /// <summary>The next line; null at the end of the stream (a last line without LF is still a line).</summary>
    public async ValueTask<BoundedLine?> ReadLineAsync(CancellationToken cancellationToken)
    {
        long skipped = 0;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var length = newline - _start;
                var line = Take(length, skipped);
                _start = newline + 1;
                return line;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                skipped += _end; // over the bound: drop what is held and keep looking for the line's end
                _end = 0;
            }

            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (_end == 0 && skipped == 0)
                {
                    return null;
                }

                var last = Take(_end, skipped);
                _start = _end = 0;
                return last;
            }

            _end += read;
        }
    }

    private BoundedLine Take(int length, long skipped) =>
        skipped + length > _maxLineBytes
            ? new BoundedLine([], skipped + length, TooLong: true)
            : new BoundedLine(_buffer.AsSpan(_start, length).ToArray(), length, TooLong: false);
}
