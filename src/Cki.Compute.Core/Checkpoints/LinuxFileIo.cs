using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cki.Compute.Checkpoints;

/// <summary>
/// The two Linux file calls a large checkpoint write uses, each a hint that may be refused (then the write goes
/// through the page cache and the commit's fsync does the work, as everywhere else):
/// direct I/O (<c>O_DIRECT</c> set on an open file), which moves the bytes from the writer's buffer to the disk
/// without copying them into page-cache memory (on these VMs the first write into page-cache memory runs at a few
/// hundred MB/s, slower than the disk); and early writeback (<c>sync_file_range</c>), which starts writing a range
/// to disk as soon as it is written instead of holding it until the fsync.
/// </summary>
internal static partial class LinuxFileIo
{
    /// <summary>Alignment of buffers, offsets and lengths that direct I/O accepts on any block device here.</summary>
    public const int DirectAlignment = 4096;

    private const int GetFlags = 3;
    private const int SetFlags = 4;
    private const int DirectFlag = 0x4000;
    private const uint SyncFileRangeWrite = 2;

    /// <summary>Turns direct I/O on or off for <paramref name="handle"/>; false when the system or file system refuses.</summary>
    public static bool SetDirect(SafeFileHandle handle, bool direct)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            var flags = Fcntl(handle, GetFlags, 0);
            return flags >= 0 && Fcntl(handle, SetFlags, direct ? flags | DirectFlag : flags & ~DirectFlag) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Starts writeback of <paramref name="length"/> bytes at <paramref name="offset"/> without waiting (Linux; elsewhere nothing).</summary>
    public static void StartWriteback(SafeFileHandle handle, long offset, long length)
    {
        if (!OperatingSystem.IsLinux() || length <= 0)
        {
            return;
        }

        try
        {
            _ = SyncFileRange(handle, offset, length, SyncFileRangeWrite);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No such call in this C library: the commit's fsync writes everything.
        }
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(SafeFileHandle handle, int command, int argument);

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(SafeFileHandle handle, long offset, long length, uint flags);
}
