using Cki.Contracts.Runs;
using Cki.Contracts.Storage;
using ScottPlot;

namespace Cki.Compute.Jobs;

/// <summary>
/// <c>{shard stem}.compatibility.png</c>: per spliced tensor of the shard, a stacked bar of each model's share of its
/// elements, so that a published run reads without the dashboard (the model card and the report link it). Drawn with
/// the plotting library of the experiment reports, in the dashboard's model colours.
/// </summary>
internal static class SplicePlot
{
    /// <summary>Writes the plot into <paramref name="folder"/> and returns its blob name; null when the shard spliced nothing.</summary>
    public static string? Write(JobContext context, CompatibilitySummary summary, string folder, string shardFileName)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(summary);
        if (summary.Tensors.Count == 0)
        {
            return null;
        }

        var plot = new Plot();
        var bars = new List<Bar>();
        var count = summary.Tensors.Count;
        for (var i = 0; i < count; i++)
        {
            var tensor = summary.Tensors[i];
            var start = 0.0;
            for (var k = 0; k < tensor.Share.Count; k++)
            {
                bars.Add(new Bar { Position = count - 1 - i, ValueBase = start, Value = start + tensor.Share[k], FillColor = Color.FromHex(ModelColours.Of(k)) });
                start += tensor.Share[k];
            }
        }

        plot.Add.Bars(bars).Horizontal = true;
        plot.Axes.Left.SetTicks(Enumerable.Range(0, count).Select(i => (double)(count - 1 - i)).ToArray(), summary.Tensors.Select(t => t.Tensor).ToArray());
        plot.Axes.SetLimitsX(0, 1);
        for (var k = 0; k < summary.Models.Count; k++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = summary.Models[k], FillColor = Color.FromHex(ModelColours.Of(k)) });
        }

        plot.ShowLegend(Edge.Bottom); // below the axis, never over the bars
        plot.Title($"Share of each model's elements per spliced tensor ({summary.Method})");
        plot.XLabel("share of the tensor's elements");
        var name = folder + CheckpointFileNames.CompatibilityPlotBeside(shardFileName);
        context.Storage.WriteSmall(name, plot.GetImageBytes(1000, 200 + (26 * count), ImageFormat.Png), context.CancellationToken);
        return name;
    }
}
