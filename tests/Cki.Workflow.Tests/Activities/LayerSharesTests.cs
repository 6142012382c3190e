using Cki.Contracts.Runs;
using Cki.Workflow.Activities;

namespace Cki.Workflow.Tests.Activities;

public sealed class LayerSharesTests
{
    [Theory]
    [InlineData("encoder.layer.3.attention.self.query.weight", "encoder.layer.3")]
    [InlineData("layers.10.weight", "layers.10")]
    [InlineData("embeddings.word_embeddings.weight", "embeddings.word_embeddings")]
    [InlineData("bias", "bias")]
    [InlineData("head.0", "head.0")]
    public void LayerOf_UpToTheFirstNumberElseWithoutTheLastPart(string tensor, string layer) => Assert.Equal(layer, LayerShares.LayerOf(tensor));

    [Fact]
    public void Of_ElementWeightedPerLayer_InOrderOfFirstAppearance()
    {
        var layers = LayerShares.Of(
        [
            new TensorCompatibility("layers.0.w", [2, 2], [1.0, 0.0], [0.9, 0.1]),
            new TensorCompatibility("head.weight", [3], [0.0, 1.0], [0.2, 0.8]),
            new TensorCompatibility("layers.0.b", [2], [0.5, 0.5], [0.5, 0.5]),
            new TensorCompatibility("layers.1.w", [4], [0.25, 0.75], [0.4, 0.6]),
        ]);

        Assert.Equal(["layers.0", "head", "layers.1"], layers.Select(l => l.Layer));
        Assert.Equal([6L, 3L, 4L], layers.Select(l => l.Elements));
        // layers.0: A took 4 x 1 + 2 x 0.5 = 5 of 6 elements, B 1 of 6.
        Assert.Equal(5.0 / 6, layers[0].Share[0], 12);
        Assert.Equal(1.0 / 6, layers[0].Share[1], 12);
        Assert.Equal([0.0, 1.0], layers[1].Share);
        Assert.Equal([0.25, 0.75], layers[2].Share);
    }

    [Fact]
    public void Of_NothingSpliced_NoLayersAndNoPlot()
    {
        Assert.Empty(LayerShares.Of([]));
        Assert.Null(LayerSharePlot.Png([], ["a", "b"], "cki"));
    }

    [Fact]
    public void Png_EachModelsColourInProportionToItsShare()
    {
        var png = new PngPixels(LayerSharePlot.Png([new LayerShare("layers.0", 10, [0.8, 0.2]), new LayerShare("layers.1", 10, [0.8, 0.2])], ["a (model A)", "b"], "cki")!);

        Assert.Equal(LayerSharePlot.Width, png.Width);
        Assert.Equal(LayerSharePlot.Height(2), png.Height);
        var a = png.Count(ModelColours.Of(0));
        var b = png.Count(ModelColours.Of(1));
        Assert.True(b > 500, $"model b's bars: {b} pixels");
        Assert.InRange(a / (double)b, 3.6, 4.4);
    }

    [Fact]
    public void Height_CappedAtTheLayersDrawn() => Assert.Equal(LayerSharePlot.Height(LayerSharePlot.MaxLayers), LayerSharePlot.Height(LayerSharePlot.MaxLayers + 50));
}
