using Microsoft.Win32.SafeHandles;

namespace Cki.Compute.Checkpoints;

/// <summary>
/// Writes to a temporary file beside the target and renames it over the target on commit, so a crash never
/// leaves a half-written file under the final name.
/// </summary>
public sealed class FileCheckpointSink : ICheckpointSink
{
    private readonly string _temporary;
    private readonly SafeFileHandle _handle;
    private long _position;
    private bool _committed;

    /// <summary>Starts writing <paramref name="path"/>; its folder is created if needed.</summary>
    public FileCheckpointSink(string path)
    {
        Name = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(Name)!);
        _temporary = $"{Name}.partial-{Environment.ProcessId}-{Guid.NewGuid():N}";
        _handle = File.OpenHandle(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public void Write(ReadOnlySpan<byte> bytes, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        cancellationToken.ThrowIfCancellationRequested();
        RandomAccess.Write(_handle, bytes, _position);
        _position += bytes.Length;
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

        RandomAccess.Write(_handle, bytes, offset);
    }

    /// <inheritdoc />
    public void Commit(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RandomAccess.FlushToDisk(_handle);
        _handle.Dispose();
        File.Move(_temporary, Name, overwrite: true);
        _committed = true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _handle.Dispose();
        if (!_committed)
        {
            File.Delete(_temporary);
        }
    }
}
