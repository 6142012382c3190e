using Cki.Contracts.Runs;
using Cki.Workflow.Runs;

namespace Cki.Workflow.Tests.Runs;

public class FamilyInputsTests
{
    private static RunInput Single(string source, string version, string etag) =>
        new(source, version, $"checkpoints/movies/{source}/{version}/model.safetensors",
            new Dictionary<string, string> { [$"movies/{source}/{version}/model.safetensors"] = etag });

    private static RunInput Sharded(string source, string version, string indexETag, string shard1ETag, string shard2ETag) =>
        new(source, version, $"checkpoints/movies/{source}/{version}/model.safetensors.index.json", new Dictionary<string, string>
        {
            [$"movies/{source}/{version}/model.safetensors.index.json"] = indexETag,
            [$"movies/{source}/{version}/model-00001-of-00002.safetensors"] = shard1ETag,
            [$"movies/{source}/{version}/model-00002-of-00002.safetensors"] = shard2ETag,
        });

    private static FamilyInputs Inputs(params RunInput[] inputs) => Inputs("\"0xM\"", inputs);

    private static FamilyInputs Inputs(string manifestETag, params RunInput[] inputs) => new("movies", true, null, manifestETag, inputs, true);

    private static readonly FamilyInputs Baseline = Inputs(Single("early", "v1", "\"0x1\""), Sharded("late", "v2", "\"0xI\"", "\"0xS1\"", "\"0xS2\""));

    [Fact]
    public void RunId_SameInputsInAnyOrder_IsTheSame()
    {
        var reordered = new RunInput("late", "v2", "checkpoints/movies/late/v2/model.safetensors.index.json", new Dictionary<string, string>
        {
            ["movies/late/v2/model-00002-of-00002.safetensors"] = "\"0xS2\"",
            ["movies/late/v2/model.safetensors.index.json"] = "\"0xI\"",
            ["movies/late/v2/model-00001-of-00002.safetensors"] = "\"0xS1\"",
        });

        Assert.Equal(Baseline.RunId, Inputs(reordered, Single("early", "v1", "\"0x1\"")).RunId);
    }

    [Fact]
    public void RunId_SameInputs_StartsWithTheFamilyAndSixteenHexDigits()
    {
        Assert.StartsWith("movies-", Baseline.RunId, StringComparison.Ordinal);
        Assert.Matches("^movies-[0-9a-f]{16}$", Baseline.RunId);
    }

    [Fact]
    public void RunId_SingleFileETagChanged_Changes() =>
        Assert.NotEqual(Baseline.RunId, Inputs(Single("early", "v1", "\"0x9\""), Sharded("late", "v2", "\"0xI\"", "\"0xS1\"", "\"0xS2\"")).RunId);

    [Fact]
    public void RunId_IndexETagChanged_Changes() =>
        Assert.NotEqual(Baseline.RunId, Inputs(Single("early", "v1", "\"0x1\""), Sharded("late", "v2", "\"0xJ\"", "\"0xS1\"", "\"0xS2\"")).RunId);

    [Fact]
    public void RunId_OneShardETagChanged_Changes() =>
        Assert.NotEqual(Baseline.RunId, Inputs(Single("early", "v1", "\"0x1\""), Sharded("late", "v2", "\"0xI\"", "\"0xS1\"", "\"0xS3\"")).RunId);

    [Fact]
    public void RunId_VersionChanged_Changes()
    {
        // Same ETags, another version folder: the version itself is part of the id.
        var moved = Single("early", "v2", "\"0x1\"") with { ETags = new Dictionary<string, string> { ["movies/early/v1/model.safetensors"] = "\"0x1\"" } };

        Assert.NotEqual(Baseline.RunId, Inputs(moved, Sharded("late", "v2", "\"0xI\"", "\"0xS1\"", "\"0xS2\"")).RunId);
    }

    [Fact]
    public void RunId_ManifestETagChanged_Changes() =>
        Assert.NotEqual(Baseline.RunId, Inputs("\"0xN\"", Single("early", "v1", "\"0x1\""), Sharded("late", "v2", "\"0xI\"", "\"0xS1\"", "\"0xS2\"")).RunId);

    [Fact]
    public void RunId_OtherFamily_StartsWithThatFamily()
    {
        var books = Baseline with { Family = "books" };

        Assert.StartsWith("books-", books.RunId, StringComparison.Ordinal);
        Assert.NotEqual(Baseline.RunId["movies-".Length..], books.RunId["books-".Length..]);
    }

    [Fact]
    public void RunId_ReadinessAndSchedule_DoNotChangeIt() =>
        Assert.Equal(Baseline.RunId, (Baseline with { Ready = false, Reason = "waiting", Nightly = false }).RunId);

    [Fact]
    public void RunId_SameContentIdsUnderNewETags_IsTheSame()
    {
        static FamilyInputs Uploaded(string etag, string manifestETag) =>
            Inputs(manifestETag, Single("early", "v1", etag) with { ContentIds = new Dictionary<string, string> { ["movies/early/v1/model.safetensors"] = "md5:AAA=" } })
                with { ManifestContentId = "md5:MMM=" };

        Assert.Equal(Uploaded("\"0x1\"", "\"0xM\"").RunId, Uploaded("\"0x2\"", "\"0xN\"").RunId);
        Assert.NotEqual(Uploaded("\"0x1\"", "\"0xM\"").RunId, (Uploaded("\"0x1\"", "\"0xM\"") with { ManifestContentId = "md5:NNN=" }).RunId);
    }
}
