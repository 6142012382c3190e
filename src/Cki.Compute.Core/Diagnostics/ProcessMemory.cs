using System.Globalization;

namespace Cki.Compute.Diagnostics;

/// <summary>
/// Resident memory of this process as Linux reports it (/proc/self/status), native allocations included: the
/// figure that matters for tensors, which live outside the managed heap.
/// </summary>
internal static class ProcessMemory
{
    /// <summary>Current resident set size in bytes (0 where /proc is missing).</summary>
    public static long Resident => Read("VmRSS:");

    /// <summary>Peak resident set size since start or since the last <see cref="ResetPeak"/>.</summary>
    public static long Peak => Read("VmHWM:");

    /// <summary>Resets the peak to the current size (writing 5 to /proc/self/clear_refs); false if not allowed.</summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long Read(string field)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var kb = line[field.Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }
}
