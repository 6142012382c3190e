using System.Globalization;
using Cki.Contracts.Runs;
using ScottPlot;

namespace Cki.Workflow.Activities;

/// <summary>
/// <c>compatibility-per-layer.png</c>: per layer of the integrated model, one stacked bar of each model's share of its
/// spliced elements (in the models' colours), so that where each input's knowledge went reads at a glance.
/// </summary>
public static class LayerSharePlot
{
    /// <summary>The plot's file name in the run's output folder.</summary>
    public const string FileName = "compatibility-per-layer.png";

    /// <summary>The image's width in pixels.</summary>
    public const int Width = 1000;

    /// <summary>The most layers drawn; a model with more shows its first ones and says so in the title.</summary>
    public const int MaxLayers = 200;

    /// <summary>The image's height in pixels for <paramref name="layers"/> layers.</summary>
    public static int Height(int layers) => 180 + (22 * Math.Min(layers, MaxLayers));

    /// <summary>The plot as PNG; null when nothing was spliced.</summary>
    /// <param name="layers">The layers' shares (<see cref="LayerShares.Of"/>).</param>
    /// <param name="models">The models' names, model A first (the legend).</param>
    /// <param name="method">The merge method (the title).</param>
    public static byte[]? Png(IReadOnlyList<LayerShare> layers, IReadOnlyList<string> models, string method)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(models);
        if (layers.Count == 0)
        {
            return null;
        }

        var shown = layers.Take(MaxLayers).ToList();
        var plot = new Plot();
        var bars = new List<Bar>();
        for (var i = 0; i < shown.Count; i++)
        {
            var from = 0.0;
            for (var k = 0; k < shown[i].Share.Count; k++)
            {
                bars.Add(new Bar { Position = shown.Count - 1 - i, ValueBase = from, Value = from + shown[i].Share[k], Size = 0.8, LineWidth = 0, FillColor = Color.FromHex(ModelColours.Of(k)) });
                from += shown[i].Share[k];
            }
        }

        plot.Add.Bars(bars).Horizontal = true;
        var c = CultureInfo.InvariantCulture;
        plot.Axes.Left.SetTicks(shown.Select((_, i) => (double)(shown.Count - 1 - i)).ToArray(),
            shown.Select(l => string.Create(c, $"{l.Layer} ({l.Elements:N0})")).ToArray());
        plot.Axes.SetLimitsX(0, 1);
        plot.Axes.SetLimitsY(-0.6, shown.Count - 0.4);
        for (var k = 0; k < models.Count; k++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = models[k], FillColor = Color.FromHex(ModelColours.Of(k)) });
        }

        plot.ShowLegend(Edge.Bottom);
        plot.Title(layers.Count > MaxLayers
            ? string.Create(c, $"Share of each model per layer ({method}), first {MaxLayers} of {layers.Count} layers")
            : $"Share of each model per layer ({method})");
        plot.XLabel("share of the layer's spliced elements");
        return plot.GetImageBytes(Width, Height(layers.Count), ImageFormat.Png);
    }
}
