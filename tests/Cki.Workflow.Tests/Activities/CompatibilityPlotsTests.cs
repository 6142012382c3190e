using Cki.Workflow.Activities;

namespace Cki.Workflow.Tests.Activities;

public sealed class CompatibilityPlotsTests
{
    [Fact]
    public void Markdown_NoPlots_AddsNothing() => Assert.Equal("", CompatibilityPlots.Markdown([]));

    [Fact]
    public void Markdown_TwoShards_ShowsEachPlotByItsFileName()
    {
        var text = CompatibilityPlots.Markdown(["model-00001-of-00002.compatibility.png", "model-00002-of-00002.compatibility.png"]);

        Assert.Contains("## Compatibility per spliced tensor", text, StringComparison.Ordinal);
        Assert.Contains("![each model's share per tensor, model-00001-of-00002](model-00001-of-00002.compatibility.png)", text, StringComparison.Ordinal);
        Assert.Contains("![each model's share per tensor, model-00002-of-00002](model-00002-of-00002.compatibility.png)", text, StringComparison.Ordinal);
    }
}
