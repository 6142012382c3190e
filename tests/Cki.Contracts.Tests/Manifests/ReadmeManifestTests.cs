using Cki.Contracts.Manifests;
using Cki.Testing;

namespace Cki.Contracts.Tests.Manifests;

public class ReadmeManifestTests
{
    private const string Heading = "### The manifest: `checkpoints/{family}/cki.yaml`";

    /// <summary>The first ```yaml block after <see cref="Heading"/> in README.md.</summary>
    private static string ReadmeManifest()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "README.md"));
        var heading = Array.IndexOf(lines, Heading);
        Assert.True(heading >= 0, $"README.md has no line '{Heading}'.");
        var start = Array.FindIndex(lines, heading + 1, l => l.Trim() == "```yaml");
        Assert.True(start > heading, $"README.md has no ```yaml block after '{Heading}'.");
        var end = Array.FindIndex(lines, start + 1, l => l.Trim() == "```");
        Assert.True(end > start, "README.md's manifest block is not closed.");
        return string.Join('\n', lines[(start + 1)..end]) + "\n";
    }

    [Fact]
    public void Parse_ReadmeManifest_IsAcceptedWithTheValuesItShows()
    {
        var manifest = FamilyManifestParser.Parse(ReadmeManifest(), "README.md");

        Assert.Equal("synthetic", manifest.Task);
        Assert.Equal(["a", "b", "c", "d"], manifest.Sources);
        Assert.Equal(("cki", TensorSelection.HeadMode), (manifest.Merge.Method, manifest.Merge.Tensors.Mode));
        Assert.Equal(2, manifest.Data.Count);
        Assert.Equal("data/movielens/ratings.csv", manifest.Data["ratings"]);
        Assert.Equal("data/movielens/movies.csv", manifest.Data["movies"]);
        Assert.Equal([0.001, 0.01], manifest.Candidates.LearningRates);
        Assert.Equal(10, manifest.Candidates.Epochs);
        Assert.Equal(["auc", "logloss"], manifest.Evaluation.Metrics);
        Assert.Equal(["average", "ensemble"], manifest.Evaluation.Baselines);
        Assert.Equal((0, 16, ScheduleMode.Nightly), (manifest.RetrainEpochs, manifest.Shards, manifest.Schedule));
    }

    [Fact]
    public void Parse_ReadmeManifest_SetsEveryTopLevelKeyButNoOther()
    {
        var keys = ReadmeManifest().Split('\n')
            .Where(l => l.Length > 0 && !char.IsWhiteSpace(l[0]) && l[0] != '#')
            .Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)])
            .ToList();

        Assert.Equal(FamilyManifestParser.TopLevelKeys.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }
}
