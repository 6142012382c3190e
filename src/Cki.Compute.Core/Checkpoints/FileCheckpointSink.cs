using Microsoft.Win32.SafeHandles;

namespace Cki.Compute.Checkpoints;

/// <summary>
/// Writes to a temporary file beside the target and renames it over the target on commit, so a crash never
/// leaves a half-written file under the final name. Where the file system takes direct I/O (see
/// <see cref="LinuxFileIo"/>), the bytes are gathered in an aligned buffer and written straight to the disk in
/// large blocks, skipping the page cache; the last partial block and the header's patches go through the page
/// cache at the commit. Elsewhere each write goes through the page cache and its range is handed to the disk at
/// once, so the commit's fsync does not wait for the whole file.
/// </summary>
public sealed class FileCheckpointSink : ICheckpointSink
{
    /// <summary>Bytes gathered before one direct write.</summary>
    internal const int BlockBytes = 16 << 20;

    private readonly string _temporary;
    private readonly SafeFileHandle _handle;
    private bool _direct;
    private AlignedBuffer? _block;
    private int _gathered;
    private long _position;
    private bool _committed;

    /// <summary>Starts writing <paramref name="path"/>; its folder is created if needed.</summary>
    public FileCheckpointSink(string path)
    {
        Name = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(Name)!);
        _temporary = $"{Name}.partial-{Environment.ProcessId}-{Guid.NewGuid():N}";
        _handle = File.OpenHandle(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        _direct = LinuxFileIo.SetDirect(_handle, true);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Whether the bytes go straight to the disk (direct I/O) rather than through the page cache.</summary>
    internal bool Direct => _direct;

    /// <inheritdoc />
    public void Write(ReadOnlySpan<byte> bytes, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_direct)
        {
            RandomAccess.Write(_handle, bytes, _position);
            LinuxFileIo.StartWriteback(_handle, _position, bytes.Length);
            _position += bytes.Length;
            return;
        }

        _block ??= new AlignedBuffer(BlockBytes, LinuxFileIo.DirectAlignment);
        while (!bytes.IsEmpty)
        {
            var length = Math.Min(bytes.Length, BlockBytes - _gathered);
            bytes[..length].CopyTo(_block.Span[_gathered..]);
            _gathered += length;
            _position += length;
            bytes = bytes[length..];
            if (_gathered == BlockBytes)
            {
                WriteBlock(_block.Span, _position - BlockBytes);
                _gathered = 0;
            }
        }
    }

    /// <inheritdoc />
    public long PatchableBytes => long.MaxValue;

    /// <inheritdoc />
    public void Patch(long offset, ReadOnlySpan<byte> bytes)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        if (offset < 0 || offset + bytes.Length > _position)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"{Name}: bytes [{offset}, {offset + bytes.Length}) are not written yet.");
        }

        var gatheredFrom = _position - _gathered;
        if (_direct && offset >= gatheredFrom)
        {
            bytes.CopyTo(_block!.Span[(int)(offset - gatheredFrom)..]);
            return;
        }

        EndDirect();
        RandomAccess.Write(_handle, bytes, offset);
    }

    /// <inheritdoc />
    public void Commit(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EndDirect();
        RandomAccess.FlushToDisk(_handle);
        _handle.Dispose();
        File.Move(_temporary, Name, overwrite: true);
        _committed = true;
    }

    /// <summary>Writes an aligned block; a file system that took the direct flag but refuses the write gets it through the page cache, as every later block.</summary>
    private void WriteBlock(ReadOnlySpan<byte> block, long offset)
    {
        try
        {
            RandomAccess.Write(_handle, block, offset);
        }
        catch (IOException) when (LinuxFileIo.SetDirect(_handle, false))
        {
            RandomAccess.Write(_handle, block, offset);
        }
    }

    /// <summary>Writes what is gathered (the aligned part directly, the rest through the page cache) and leaves direct I/O.</summary>
    private void EndDirect()
    {
        if (!_direct)
        {
            return;
        }

        var start = _position - _gathered;
        var aligned = _gathered / LinuxFileIo.DirectAlignment * LinuxFileIo.DirectAlignment;
        if (aligned > 0)
        {
            WriteBlock(_block!.Span[..aligned], start);
        }

        _direct = false;
        if (!LinuxFileIo.SetDirect(_handle, false))
        {
            throw new IOException($"{Name}: direct I/O could not be turned off to write the last {_gathered - aligned} bytes.");
        }

        if (_gathered > aligned)
        {
            RandomAccess.Write(_handle, _block!.Span[aligned.._gathered], start + aligned);
        }

        _gathered = 0;
        _block?.Dispose();
        _block = null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _block?.Dispose();
        _handle.Dispose();
        if (!_committed)
        {
            File.Delete(_temporary);
        }
    }
}
