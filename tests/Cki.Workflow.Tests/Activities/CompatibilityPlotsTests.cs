using Cki.Workflow.Activities;

namespace Cki.Workflow.Tests.Activities;

public sealed class CompatibilityPlotsTests
{
    [Fact]
    public void Markdown_NoPlots_AddsNothing() => Assert.Equal("", CompatibilityPlots.Markdown(new FoundPlots(false, [])));

    [Fact]
    public void Markdown_TwoShards_ShowsEachPlotByItsFileName()
    {
        var text = CompatibilityPlots.Markdown(new FoundPlots(false, ["model-00001-of-00002.compatibility.png", "model-00002-of-00002.compatibility.png"]));

        Assert.Contains("## Where each model's knowledge went", text, StringComparison.Ordinal);
        Assert.DoesNotContain(LayerSharePlot.FileName, text, StringComparison.Ordinal);
        Assert.Contains("![each model's share per tensor, model-00001-of-00002](model-00001-of-00002.compatibility.png)", text, StringComparison.Ordinal);
        Assert.Contains("![each model's share per tensor, model-00002-of-00002](model-00002-of-00002.compatibility.png)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_PerLayerPlot_ShownFirst()
    {
        var text = CompatibilityPlots.Markdown(new FoundPlots(true, ["model-00001-of-00001.compatibility.png"]));

        var layer = text.IndexOf($"]({LayerSharePlot.FileName})", StringComparison.Ordinal);
        Assert.True(layer > 0);
        Assert.True(layer < text.IndexOf("](model-00001-of-00001.compatibility.png)", StringComparison.Ordinal));
    }
}
