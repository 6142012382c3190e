using System.Globalization;
using System.Net;
using System.Text;
using Cki.Contracts.Runs;

namespace Cki.Workflow.Activities;

/// <summary>
/// The report's chart (<c>report.svg</c>): one horizontal bar per evaluated model for a metric (test AUC by default),
/// the integrated model highlighted and models of more than 1x cost hatched grey, on an axis zoomed to the values so
/// that small differences show. SVG is text, so the workflow writes it without a plotting library.
/// </summary>
public static class ReportChart
{
    private const int Width = 720, Label = 260, Row = 26, Top = 40, Right = 60;

    /// <summary>The chart of <paramref name="metric"/>, or null when no row has it.</summary>
    public static string? Svg(RunSummary summary, string metric = "test.auc")
    {
        ArgumentNullException.ThrowIfNull(summary);
        var rows = summary.Evaluation.Where(r => r.Metrics.ContainsKey(metric)).ToList();
        if (rows.Count == 0)
        {
            return null;
        }

        var values = rows.Select(r => r.Metrics[metric]).ToList();
        var (low, high) = Axis(values.Min(), values.Max());
        var c = CultureInfo.InvariantCulture;
        var plot = Width - Label - Right;
        var height = Top + (rows.Count * Row) + 30;
        var svg = new StringBuilder();
        svg.Append(c, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"13\">");
        svg.Append(c, $"<text x=\"10\" y=\"22\" font-size=\"15\">{Escape(summary.Family)}, run {Escape(summary.RunId)}: {Escape(metric)} (axis {low:F3} to {high:F3})</text>");
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var y = Top + (i * Row);
            var length = Bar(row.Metrics[metric], low, high, plot);
            var fill = row.Target == "integrated" ? "#175cd3" : row.InferenceCost > 1 ? "#98a2b3" : "#84caff";
            svg.Append(c, $"<text x=\"{Label - 8}\" y=\"{y + 17}\" text-anchor=\"end\">{Escape(row.Target)}{(row.InferenceCost > 1 ? $" ({row.InferenceCost}x)" : "")}</text>");
            svg.Append(c, $"<rect x=\"{Label}\" y=\"{y + 4}\" width=\"{length:F1}\" height=\"{Row - 8}\" fill=\"{fill}\"/>");
            svg.Append(c, $"<text x=\"{Label + length + 6:F1}\" y=\"{y + 17}\">{row.Metrics[metric]:F4}</text>");
        }

        svg.Append(c, $"<line x1=\"{Label}\" y1=\"{Top}\" x2=\"{Label}\" y2=\"{Top + (rows.Count * Row)}\" stroke=\"#333\"/>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The axis: from a little under the smallest value to a little over the largest, within [0, 1] for rates.</summary>
    public static (double Low, double High) Axis(double min, double max)
    {
        var margin = Math.Max((max - min) * 0.25, 0.005);
        return (Math.Max(0, min - margin), max + margin);
    }

    /// <summary>The length of a bar for <paramref name="value"/> on the axis [<paramref name="low"/>, <paramref name="high"/>] drawn <paramref name="plot"/> wide.</summary>
    public static double Bar(double value, double low, double high, double plot) => plot * (value - low) / (high - low);

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
