using Cki.Compute.Checkpoints;

namespace Cki.Compute.Benchmarks;

/// <summary>
/// The yardstick of <c>bench merge</c>: the same bytes a merge moves, moved the fastest plain way. Model A is
/// copied to the output and every other model is read, in 64 MB sequential reads and writes, then the output is
/// fsynced; the output is deleted first so no run reuses another's page-cache pages. The writes go through the page
/// cache or straight to the disk (direct I/O), and the benchmark takes the faster of the two.
/// </summary>
internal static class PlainCopy
{
    private const int BlockBytes = 64 << 20;

    /// <summary>
    /// In this process: positioned reads and writes of 64 MB through one reused buffer, fsync at the end; with
    /// <paramref name="direct"/> the writes skip the page cache (direct I/O, the last partial block through it).
    /// </summary>
    public static void InProcess(IReadOnlyList<string> inputs, string output, bool direct)
    {
        using var block = new AlignedBuffer(BlockBytes, LinuxFileIo.DirectAlignment);
        var buffer = block.Span;
        File.Delete(output);
        using var target = File.OpenHandle(output, FileMode.CreateNew, FileAccess.Write);
        direct = direct && LinuxFileIo.SetDirect(target, true);
        long written = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            using var source = File.OpenHandle(inputs[i], FileMode.Open, FileAccess.Read);
            long position = 0;
            int read;
            while ((read = RandomAccess.Read(source, buffer, position)) > 0)
            {
                position += read;
                if (i == 0)
                {
                    if (direct && read % LinuxFileIo.DirectAlignment != 0)
                    {
                        direct = !LinuxFileIo.SetDirect(target, false);
                    }

                    RandomAccess.Write(target, buffer[..read], written);
                    written += read;
                }
            }
        }

        RandomAccess.FlushToDisk(target);
    }

    /// <summary>
    /// As whole processes: <c>dd bs=64M</c> copies model A (with <c>conv=fsync</c>; <paramref name="direct"/> adds
    /// <c>oflag=direct</c>, which skips the page cache) and reads the others to <c>/dev/null</c>. Returns the wall
    /// seconds, or null where <c>sh</c> or <c>dd</c> cannot run.
    /// </summary>
    public static double? AsProcesses(IReadOnlyList<string> inputs, string output, bool direct)
    {
        File.Delete(output);
        var script = $"dd if={Quote(inputs[0])} of={Quote(output)} bs=64M conv=fsync{(direct ? " oflag=direct" : "")} status=none"
            + string.Concat(inputs.Skip(1).Select(i => $" && dd if={Quote(i)} of=/dev/null bs=64M status=none"));
        try
        {
            return ChildProcess.Time("sh", ["-c", script]);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
