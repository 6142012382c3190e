using Cki.Contracts.Manifests;

namespace Cki.Contracts.Tests.Manifests;

public class SentimentManifestTests
{
    [Fact]
    public void Parse_SentimentWithFeatures_KeepsTheDataReference()
    {
        var manifest = FamilyManifestParser.Parse("task: sentiment\nsources: [a, b]\ndata:\n  features: data/sentiment/features-minilm.safetensors\n", "cki.yaml");
        Assert.Equal(ManifestTasks.Sentiment, manifest.Task);
        Assert.Equal("data/sentiment/features-minilm.safetensors", manifest.Data["features"]);
    }

    [Fact]
    public void Parse_SentimentWithoutFeatures_NamesTheMissingKey()
    {
        var error = Assert.Throws<ManifestException>(() => FamilyManifestParser.Parse("task: sentiment\nsources: [a, b]\n", "cki.yaml"));
        Assert.Equal("data", error.Field);
        Assert.Contains("task 'sentiment' needs data key features", error.Message, StringComparison.Ordinal);
    }
}
