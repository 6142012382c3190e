using ScottPlot;

namespace Cki.Compute.Experiments;

/// <summary>Bar charts of the experiment's test metrics, one per setting and metric, mean with the spread over seeds.</summary>
public static class ExperimentPlots
{
    /// <summary>The metrics plotted.</summary>
    public static IReadOnlyList<string> Plotted { get; } = ["AUC", "UAUC", "NDCG@10"];

    /// <summary>Writes <c>{metric}-{setting}.png</c> files into <paramref name="folder"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(string folder, IReadOnlyList<ExperimentRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var written = new List<string>();
        foreach (var setting in runs.Select(r => r.Setting).Distinct())
        {
            var methods = runs.Where(r => r.Setting == setting).Select(r => r.Method).Distinct().ToList();
            foreach (var metric in Plotted)
            {
                var plot = new Plot();
                var bars = new List<Bar>();
                double low = double.MaxValue, high = double.MinValue;
                for (var i = 0; i < methods.Count; i++)
                {
                    var values = runs.Where(r => r.Setting == setting && r.Method == methods[i]).Select(r => r.Test[metric]).ToList();
                    var mean = values.Average();
                    var std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
                    low = Math.Min(low, mean - std);
                    high = Math.Max(high, mean + std);
                    var color = methods[i].StartsWith("CKI", StringComparison.Ordinal) ? Colors.DarkOrange : methods[i].StartsWith("model", StringComparison.Ordinal) ? Colors.SteelBlue : Colors.Gray;
                    bars.Add(new Bar { Position = methods.Count - 1 - i, Value = mean, Error = std, FillColor = color, ValueBase = 0 });
                }

                var bar = plot.Add.Bars(bars);
                bar.Horizontal = true;
                plot.Axes.Left.SetTicks(Enumerable.Range(0, methods.Count).Select(i => (double)(methods.Count - 1 - i)).ToArray(), methods.ToArray());
                var margin = Math.Max(0.01, (high - low) * 0.15);
                plot.Axes.SetLimitsX(Math.Max(0, low - margin), high + margin);
                plot.Title($"{metric} on the test period ({setting}); mean and spread over seeds");
                plot.XLabel(metric);
                var path = Path.Combine(folder, $"{metric.Replace('@', '-').ToLowerInvariant()}-{setting.Replace(' ', '-')}.png");
                plot.SavePng(path, 900, 520);
                written.Add(path);
            }
        }

        return written;
    }
}
