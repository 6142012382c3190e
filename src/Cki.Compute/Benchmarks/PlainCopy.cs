namespace Cki.Compute.Benchmarks;

/// <summary>
/// The yardstick of <c>bench merge</c>: the same bytes a merge moves, moved the fastest plain way. Model A is
/// copied to the output and every other model is read, in 64 MB sequential reads and writes, then the output is
/// fsynced; the output is deleted first so no run reuses another's page-cache pages.
/// </summary>
internal static class PlainCopy
{
    private const int BlockBytes = 64 << 20;

    /// <summary>In this process: positioned reads and writes of 64 MB through one reused buffer, fsync at the end.</summary>
    public static void InProcess(IReadOnlyList<string> inputs, string output)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(BlockBytes);
        File.Delete(output);
        using var target = File.OpenHandle(output, FileMode.CreateNew, FileAccess.Write);
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
                    RandomAccess.Write(target, buffer.AsSpan(0, read), written);
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
