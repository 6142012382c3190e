using System.Diagnostics;

namespace Cki.Compute.Experiments;

/// <summary>Wall time of an experiment by part (inputs, protocols, controls), for the report's "Run:" line.</summary>
public sealed class PartClock
{
    /// <summary>Seconds spent so far, by part.</summary>
    public Dictionary<string, double> Seconds { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="work"/>, adding its wall time to <paramref name="part"/>.</summary>
    public T Time<T>(string part, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var clock = Stopwatch.StartNew();
        var result = work();
        Seconds[part] = Seconds.GetValueOrDefault(part) + clock.Elapsed.TotalSeconds;
        return result;
    }

    /// <summary>Runs <paramref name="work"/>, adding its wall time to <paramref name="part"/>.</summary>
    public void Time(string part, Action work) => Time(part, () =>
    {
        work();
        return 0;
    });
}
