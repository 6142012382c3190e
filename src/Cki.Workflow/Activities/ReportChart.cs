using System.Globalization;
using Cki.Contracts.Runs;
using ScottPlot;

namespace Cki.Workflow.Activities;

/// <summary>
/// The report's metrics chart (<c>metrics.png</c>): one horizontal bar per evaluated model for a metric (test AUC by
/// default), the integrated model highlighted and models of more than 1x inference cost grey, on an axis zoomed to the
/// values so that small differences show, each bar labelled with its value.
/// </summary>
public static class ReportChart
{
    /// <summary>The integrated model's bar.</summary>
    public const string IntegratedColour = "#175cd3";

    /// <summary>A 1x model's bar (an input or a baseline merge).</summary>
    public const string SingleCostColour = "#84caff";

    /// <summary>The bar of a model that costs more than one input at inference (the output ensemble).</summary>
    public const string HigherCostColour = "#98a2b3";

    /// <summary>The image's width in pixels.</summary>
    public const int Width = 900;

    /// <summary>The image's height in pixels for <paramref name="rows"/> bars.</summary>
    public static int Height(int rows) => 140 + (34 * rows);

    /// <summary>The chart of <paramref name="metric"/> as PNG, or null when no row has it.</summary>
    public static byte[]? Png(RunSummary summary, string metric = "test.auc")
    {
        ArgumentNullException.ThrowIfNull(summary);
        var rows = summary.Evaluation.Where(r => r.Metrics.ContainsKey(metric)).ToList();
        if (rows.Count == 0)
        {
            return null;
        }

        var c = CultureInfo.InvariantCulture;
        var (low, high) = Axis(rows.Min(r => r.Metrics[metric]), rows.Max(r => r.Metrics[metric]));
        var plot = new Plot();
        // The first row on top: positions count down.
        var bars = rows.Select((row, i) => new Bar
        {
            Position = rows.Count - 1 - i, ValueBase = low, Value = row.Metrics[metric], Size = 0.7,
            FillColor = Color.FromHex(Colour(row)), LineWidth = 0, Label = row.Metrics[metric].ToString("F4", c),
        }).ToList();
        var series = plot.Add.Bars(bars);
        series.Horizontal = true;
        plot.Axes.Left.SetTicks(rows.Select((_, i) => (double)(rows.Count - 1 - i)).ToArray(),
            rows.Select(r => r.InferenceCost > 1 ? string.Create(c, $"{r.Target} ({r.InferenceCost}x)") : r.Target).ToArray());
        plot.Axes.SetLimitsX(low, high);
        plot.Axes.SetLimitsY(-0.6, rows.Count - 0.4);
        plot.Title(string.Create(c, $"{summary.Family}, run {summary.RunId}: {metric}"));
        plot.XLabel(string.Create(c, $"{metric} (axis zoomed to {low:F3} .. {high:F3})"));
        return plot.GetImageBytes(Width, Height(rows.Count), ImageFormat.Png);
    }

    /// <summary>The bar colour of an evaluated model.</summary>
    public static string Colour(EvaluationRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Target == "integrated" ? IntegratedColour : row.InferenceCost > 1 ? HigherCostColour : SingleCostColour;
    }

    /// <summary>The axis: from a little under the smallest value to a little over the largest, within [0, 1] for rates.</summary>
    public static (double Low, double High) Axis(double min, double max)
    {
        var margin = Math.Max((max - min) * 0.25, 0.005);
        return (Math.Max(0, min - margin), max + margin);
    }
}
