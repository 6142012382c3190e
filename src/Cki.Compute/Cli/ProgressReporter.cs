using System.Diagnostics;
using System.Globalization;

namespace Cki.Compute.Cli;

/// <summary>
/// Progress of long work on stderr, at most about once a second, so stdout stays clean for results and JSON.
/// Silent for work too small to need it.
/// </summary>
internal sealed class ProgressReporter(string verb, int totalItems, long totalBytes, long threshold = 256L << 20)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _enabled = totalBytes >= threshold;
    // Not TimeSpan.MinValue: Elapsed minus it overflows. A second before the start makes the first report due at once.
    private TimeSpan _last = TimeSpan.FromSeconds(-1);

    /// <summary>Reports that <paramref name="items"/> items and <paramref name="bytes"/> bytes are done.</summary>
    public void Report(int items, long bytes, string current)
    {
        if (!_enabled || (_clock.Elapsed - _last < TimeSpan.FromSeconds(1) && items < totalItems))
        {
            return;
        }

        _last = _clock.Elapsed;
        var rate = bytes / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9) / 1e9;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{verb}: {items}/{totalItems} tensors, {bytes / 1e9:F2}/{totalBytes / 1e9:F2} GB, {rate:F2} GB/s ({current})"));
    }
}
