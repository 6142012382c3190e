using System.Globalization;
using System.Text;

namespace Cki.Host.Tools.Soak;

/// <summary>What a soak did and found: counts, memory samples and every broken rule.</summary>
public sealed class SoakReport
{
    /// <summary>Steps taken, by kind.</summary>
    public Dictionary<SoakStep, int> Steps { get; } = [];

    /// <summary>Runs at the end, by outcome (Completed, superseded, Failed, Terminated, ...).</summary>
    public Dictionary<string, int> Runs { get; } = new(StringComparer.Ordinal);

    /// <summary>Managed heap after a full collection, in MB, at the start, half way and the end.</summary>
    public List<double> HeapMegabytes { get; } = [];

    /// <summary>Working set in MB at the same points.</summary>
    public List<double> WorkingSetMegabytes { get; } = [];

    /// <summary>Reads of every family's <c>latest.json</c> made while the soak ran.</summary>
    public int PointerReads { get; set; }

    /// <summary>Seconds the steps took, and until every run had ended.</summary>
    public double StepSeconds { get; set; }

    /// <summary>Seconds from the last step until every run had ended and every family showed its last drop.</summary>
    public double DrainSeconds { get; set; }

    /// <summary>Every rule the workflow broke, in words.</summary>
    public List<string> Violations { get; } = [];

    /// <summary>The figures as lines a person reads.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"steps: {string.Join(", ", Steps.OrderBy(s => s.Key).Select(s => $"{s.Key.ToString().ToLowerInvariant()} {s.Value}"))} ({Steps.Values.Sum()} in {StepSeconds:F1} s)");
        text.AppendLine(c, $"runs: {string.Join(", ", Runs.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}"))} ({Runs.Values.Sum()} in all); drained in {DrainSeconds:F1} s");
        text.AppendLine(c, $"latest.json reads while running: {PointerReads}");
        text.AppendLine(c, $"managed heap after full GC (MB): {string.Join(" -> ", HeapMegabytes.Select(m => m.ToString("F1", c)))}");
        text.AppendLine(c, $"working set (MB): {string.Join(" -> ", WorkingSetMegabytes.Select(m => m.ToString("F0", c)))}");
        text.Append(c, $"violations: {Violations.Count}");
        foreach (var violation in Violations.Take(20))
        {
            text.AppendLine().Append("  ").Append(violation);
        }

        return text.ToString();
    }
}
