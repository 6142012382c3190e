using Cki.Contracts.Runs;
using Cki.Workflow.Activities;

namespace Cki.Workflow.Tests.Activities;

/// <summary>Source-by-source order of two input sets: version folder first, then when the version was written.</summary>
public sealed class InputRecencyTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private static RunInput Input(string source, string version, DateTimeOffset written) =>
        new(source, version, $"checkpoints/f/{source}/{version}/model.safetensors", new Dictionary<string, string>(), written);

    private static PublishedRun Published(params RunInput[] inputs) =>
        new() { Family = "f", RunId = "f-published", Folder = "integrated/f/f-published/", Model = "m", Inputs = inputs };

    [Fact]
    public void Compare_EverySourceOlderVersion_Older()
    {
        var (recency, detail) = InputRecency.Compare([Input("a", "v1", Monday), Input("b", "v1", Monday)], null,
            Published(Input("a", "v2", Monday), Input("b", "v2", Monday)));

        Assert.Equal(Recency.Older, recency);
        Assert.Contains("a v1 vs v2", detail, StringComparison.Ordinal);
        Assert.Contains("f-published", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_OneSourceNewerRestSame_Newer()
    {
        var (recency, _) = InputRecency.Compare([Input("a", "v10", Monday), Input("b", "v1", Monday)], null,
            Published(Input("a", "v9", Monday), Input("b", "v1", Monday)));

        Assert.Equal(Recency.Newer, recency); // v10 after v9, not before it as ordinal order would say
    }

    [Fact]
    public void Compare_SameVersionWrittenAgainLater_Newer_EarlierWrite_Older()
    {
        var published = Published(Input("a", "v1", Monday.AddMinutes(5)));

        Assert.Equal(Recency.Newer, InputRecency.Compare([Input("a", "v1", Monday.AddMinutes(6))], null, published).Recency);
        Assert.Equal(Recency.Older, InputRecency.Compare([Input("a", "v1", Monday)], null, published).Recency);
        Assert.Equal(Recency.Same, InputRecency.Compare([Input("a", "v1", Monday.AddMinutes(5))], null, published).Recency);
    }

    [Fact]
    public void Compare_OneSourceNewerOneOlder_Mixed()
    {
        var (recency, detail) = InputRecency.Compare([Input("a", "v3", Monday), Input("b", "v1", Monday)], null,
            Published(Input("a", "v2", Monday), Input("b", "v2", Monday)));

        Assert.Equal(Recency.Mixed, recency);
        Assert.Contains("newer a v3 vs v2", detail, StringComparison.Ordinal);
        Assert.Contains("older b v1 vs v2", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_ManifestRewrittenLater_NewerEvenWithTheSameCheckpoints()
    {
        var published = Published(Input("a", "v1", Monday)) with { Manifest = new PublishedManifest("\"1\"", Monday) };

        var (recency, _) = InputRecency.Compare([Input("a", "v1", Monday)], new PublishedManifest("\"2\"", Monday.AddHours(1)), published);

        Assert.Equal(Recency.Newer, recency);
    }

    [Fact]
    public void Compare_PublishedRunRecordedNoInputs_NewerSoItIsReplaced()
    {
        var (recency, _) = InputRecency.Compare([Input("a", "v1", Monday)], null, Published());

        Assert.Equal(Recency.Newer, recency);
    }

    [Fact]
    public void Compare_SourcesOnlyOneSideHas_NotCompared()
    {
        var (recency, _) = InputRecency.Compare([Input("a", "v2", Monday), Input("c", "v1", Monday)], null,
            Published(Input("a", "v1", Monday), Input("b", "v9", Monday)));

        Assert.Equal(Recency.Newer, recency);
    }
}
