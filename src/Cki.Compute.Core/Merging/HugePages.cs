using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>
/// Asks Linux to back a large buffer with 2 MB pages (<c>madvise(MADV_HUGEPAGE)</c>; this system's transparent huge
/// pages are "madvise"). A merge's buffers are first touched by a read or a copy, one page fault per 4 KB page
/// otherwise: a quarter of a million faults per gigabyte, each dear in a VM. A hint only: refused or elsewhere,
/// the buffer works as before.
/// </summary>
internal static unsafe partial class HugePages
{
    private const long PageBytes = 2L << 20;
    private const int AdviseHugePages = 14;

    /// <summary>Advises huge pages for the whole 2 MB pages inside <paramref name="buffer"/>'s memory (a contiguous CPU tensor not yet touched).</summary>
    public static void Advise(Tensor buffer)
    {
        var bytes = buffer.numel() * buffer.element_size();
        if (!OperatingSystem.IsLinux() || bytes < 2 * PageBytes || buffer.device_type != TorchSharp.DeviceType.CPU || !buffer.is_contiguous())
        {
            return;
        }

        using var flat = buffer.view(-1);
        using var first = flat.narrow(0, 0, 1);
        var start = (long)Unsafe.AsPointer(ref MemoryMarshal.GetReference(first.bytes));
        var from = (start + PageBytes - 1) / PageBytes * PageBytes;
        var to = (start + bytes) / PageBytes * PageBytes;
        try
        {
            _ = Madvise((nint)from, (nuint)(to - from), AdviseHugePages);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No such call here: small pages, as before.
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);
}
