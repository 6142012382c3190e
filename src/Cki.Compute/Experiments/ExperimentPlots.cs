using ScottPlot;

namespace Cki.Compute.Experiments;

/// <summary>
/// The experiment's figures: bar charts of the honest protocol's test metrics (mean and spread over seeds) per setting,
/// and forest plots of the paired AUC differences per setting and protocol.
/// </summary>
public static class ExperimentPlots
{
    /// <summary>The metrics of the bar charts.</summary>
    public static IReadOnlyList<string> Plotted { get; } = ["AUC", "UAUC", "NDCG@10"];

    /// <summary>
    /// Writes <c>{metric}-{setting}.png</c> bar charts (honest protocol) of <paramref name="metrics"/> (default
    /// <see cref="Plotted"/>) into <paramref name="folder"/>; returns their paths.
    /// </summary>
    public static IReadOnlyList<string> Write(string folder, IReadOnlyList<ExperimentRun> runs, IReadOnlyList<string>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var written = new List<string>();
        foreach (var setting in runs.Select(r => r.Setting).Distinct())
        {
            var honest = runs.Where(r => r.Setting == setting && r.Protocol == Protocols.Honest).ToList();
            var methods = honest.Select(r => r.Method).Distinct().ToList();
            foreach (var metric in metrics ?? Plotted)
            {
                var plot = new Plot();
                var bars = new List<Bar>();
                double low = double.MaxValue, high = double.MinValue;
                for (var i = 0; i < methods.Count; i++)
                {
                    var values = honest.Where(r => r.Method == methods[i]).Select(r => r.Test[metric]).ToList();
                    var mean = values.Average();
                    var std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
                    low = Math.Min(low, mean - std);
                    high = Math.Max(high, mean + std);
                    bars.Add(new Bar { Position = methods.Count - 1 - i, Value = mean, Error = std, FillColor = ColorOf(methods[i]), ValueBase = 0 });
                }

                var bar = plot.Add.Bars(bars);
                bar.Horizontal = true;
                plot.Axes.Left.SetTicks(Enumerable.Range(0, methods.Count).Select(i => (double)(methods.Count - 1 - i)).ToArray(), methods.ToArray());
                var margin = Math.Max(0.01, (high - low) * 0.15);
                plot.Axes.SetLimitsX(Math.Max(0, low - margin), high + margin);
                plot.Title($"{metric} on test ({setting}, honest protocol); mean and spread over seeds");
                plot.XLabel(metric);
                var path = Path.Combine(folder, $"{metric.Replace('@', '-').ToLowerInvariant()}-{Slug(setting)}.png");
                plot.SavePng(path, 900, 560);
                written.Add(path);
            }
        }

        return written;
    }

    /// <summary>
    /// Writes <c>forest-{setting}-{protocol}.png</c>: per method, the mean paired test difference of
    /// <paramref name="metric"/> (default AUC) to the best input with its 95 % t-interval over seeds; returns the path.
    /// </summary>
    public static string WriteForest(string folder, string setting, string protocol, IReadOnlyList<(string Method, PairedDifference Difference)> rows,
        string metric = "AUC", string reference = "the best input's")
    {
        ArgumentNullException.ThrowIfNull(rows);
        var plot = new Plot();
        for (var i = 0; i < rows.Count; i++)
        {
            var y = rows.Count - 1 - i;
            var (method, d) = rows[i];
            if (!double.IsNaN(d.Low))
            {
                var line = plot.Add.Line(d.Low, y, d.High, y);
                line.LineWidth = 2;
                line.Color = ColorOf(method);
            }

            var marker = plot.Add.Marker(d.Mean, y);
            marker.Color = ColorOf(method);
            marker.Size = 8;
        }

        plot.Add.VerticalLine(0, 1, Colors.Black);
        plot.Axes.Left.SetTicks(Enumerable.Range(0, rows.Count).Select(i => (double)(rows.Count - 1 - i)).ToArray(), rows.Select(r => r.Method).ToArray());
        plot.Title($"Test {metric} minus {reference}, per seed (pair): mean and 95 % t-interval\n{setting}, {protocol}");
        plot.XLabel($"paired difference in test {metric}");
        var path = Path.Combine(folder, $"forest-{Slug(setting)}-{ProtocolSlug(protocol)}.png");
        plot.SavePng(path, 1000, 600);
        return path;
    }

    private static string ProtocolSlug(string protocol) => protocol switch
    {
        Protocols.Honest => "honest",
        Protocols.PaperValidation => "paper-validation",
        Protocols.PaperTest => "paper-test-optimistic",
        _ => Slug(protocol),
    };

    // Letters and digits kept, every other run of characters one '-': "one parent: user groups (K = 2)" -> "one-parent-user-groups-K-2".
    private static string Slug(string text) =>
        string.Join('-', text.Split(text.Where(c => !char.IsLetterOrDigit(c)).Distinct().ToArray(), StringSplitOptions.RemoveEmptyEntries));

    private static Color ColorOf(string method) =>
        method.StartsWith("CKI", StringComparison.Ordinal) || method.StartsWith("1 retraining", StringComparison.Ordinal) ? Colors.DarkOrange
        : method.StartsWith("control", StringComparison.Ordinal) ? Colors.SeaGreen
        : method.StartsWith("model", StringComparison.Ordinal) || method == "best input" ? Colors.SteelBlue
        : Colors.Gray;
}
