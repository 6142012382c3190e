using System.Text;
using Cki.Testing;
using Cki.Testing.Builders;
using Cki.Workflow.Runs;
using Cki.Workflow.Storage;

namespace Cki.Workflow.Tests.Runs;

/// <summary>The resolver against a real Azurite: blobs land in any order, only complete checkpoints count.</summary>
public sealed class InputResolverTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Index = """{"metadata":{"total_size":8},"weight_map":{"w":"model-00001-of-00002.safetensors","v":"model-00002-of-00002.safetensors"}}""";
    private const string Shard1 = "model-00001-of-00002.safetensors";
    private const string Shard2 = "model-00002-of-00002.safetensors";
    private const string IndexFile = "model.safetensors.index.json";
    private const string SingleFile = "model.safetensors";

    private async Task<InputResolver> Resolver()
    {
        var storage = new WorkflowStorage(azurite.ConnectionString);
        await storage.EnsureContainersAsync(CancellationToken.None);
        return new InputResolver(storage);
    }

    /// <summary>Uploads <c>checkpoints/{name}</c>; gives its ETag, as a response header quotes it.</summary>
    private async Task<string> Put(string name, string content)
    {
        var blob = azurite.Blobs.GetBlobContainerClient("checkpoints").GetBlobClient(name);
        var info = await blob.UploadAsync(BinaryData.FromBytes(Encoding.UTF8.GetBytes(content)), overwrite: true);
        return info.Value.ETag.ToString();
    }

    /// <summary>
    /// ETags without their quotes: a listing gives them bare, a read of the blob quoted, and the resolver records the
    /// index's from its read and the other files' from the listing. Both forms name the same version.
    /// </summary>
    private static Dictionary<string, string> Bare(IReadOnlyDictionary<string, string> etags) =>
        etags.ToDictionary(e => e.Key, e => e.Value.Trim('"'), StringComparer.Ordinal);

    private static Dictionary<string, string> Bare(params (string Name, string ETag)[] etags) =>
        etags.ToDictionary(e => e.Name, e => e.ETag.Trim('"'), StringComparer.Ordinal);

    private static Task<FamilyInputs> Resolve(InputResolver resolver, string family) => resolver.ResolveAsync(family, CancellationToken.None);

    [Fact]
    public async Task ResolveAsync_NoManifest_IsNotReady()
    {
        var resolver = await Resolver();
        await Put("nomanifest/a/v1/model.safetensors", "weights");
        await Put("nomanifest/b/v1/model.safetensors", "weights");

        var inputs = await Resolve(resolver, "nomanifest");

        Assert.False(inputs.Ready);
        Assert.Equal("no manifest checkpoints/nomanifest/cki.yaml yet", inputs.Reason);
        Assert.Empty(inputs.Inputs);
    }

    [Fact]
    public async Task ResolveAsync_ManifestAndEverySingleFile_IsReadyInManifestOrder()
    {
        var resolver = await Resolver();
        // Model A is zeta: neither the upload order nor the name order may put alpha first.
        var alpha = await Put("ordered/alpha/v1/model.safetensors", "weights a");
        var zeta = await Put("ordered/zeta/v1/model.safetensors", "weights z");
        var manifest = await Put("ordered/cki.yaml", "task: synthetic\nsources: [zeta, alpha]\n");

        var inputs = await Resolve(resolver, "ordered");

        Assert.True(inputs.Ready, inputs.Reason);
        Assert.Null(inputs.Reason);
        Assert.Equal(manifest, inputs.ManifestETag);
        Assert.True(inputs.Nightly);
        Assert.Equal(["zeta", "alpha"], inputs.Inputs.Select(i => i.Source));
        Assert.Equal(["v1", "v1"], inputs.Inputs.Select(i => i.Version));
        Assert.Equal("checkpoints/ordered/zeta/v1/model.safetensors", inputs.Inputs[0].Checkpoint);
        Assert.Equal(Bare(("ordered/zeta/v1/model.safetensors", zeta)), Bare(inputs.Inputs[0].ETags));
        Assert.Equal(Bare(("ordered/alpha/v1/model.safetensors", alpha)), Bare(inputs.Inputs[1].ETags));
        Assert.StartsWith("ordered-", inputs.RunId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_ManualSchedule_IsNotNightly()
    {
        var resolver = await Resolver();
        await Put("manual/a/v1/model.safetensors", "weights");
        await Put("manual/b/v1/model.safetensors", "weights");
        await Put("manual/cki.yaml", "task: synthetic\nsources: [a, b]\nschedule: manual\n");

        var inputs = await Resolve(resolver, "manual");

        Assert.True(inputs.Ready, inputs.Reason);
        Assert.False(inputs.Nightly);
    }

    [Fact]
    public async Task ResolveAsync_VersionsV9AndV10_TakesV10_NumbersComparedAsNumbers()
    {
        var resolver = await Resolver();
        await Put("numbered/a/v1/model.safetensors", "weights");
        await Put("numbered/b/v10/model.safetensors", "weights b10");
        await Put("numbered/b/v9/model.safetensors", "weights b9");
        await Put("numbered/cki.yaml", "task: synthetic\nsources: [a, b]\n");

        var inputs = await Resolve(resolver, "numbered");

        Assert.True(inputs.Ready, inputs.Reason);
        Assert.Equal("v10", inputs.Inputs[1].Version); // ordinal order would take v9
    }

    [Fact]
    public async Task ResolveAsync_TwoCompleteVersions_TakesTheNewestByName()
    {
        var resolver = await Resolver();
        await Put("newest/a/v1/model.safetensors", "weights");
        await Put("newest/b/v2/model.safetensors", "weights b2");
        await Put("newest/b/v1/model.safetensors", "weights b1");
        await Put("newest/cki.yaml", "task: synthetic\nsources: [a, b]\n");
        var before = (await Resolve(resolver, "newest")).RunId;
        var b2 = await Put("newest/b/v2/model.safetensors", "weights b2, again");

        var inputs = await Resolve(resolver, "newest");

        Assert.True(inputs.Ready, inputs.Reason);
        var b = inputs.Inputs[1];
        Assert.Equal(("b", "v2", "checkpoints/newest/b/v2/model.safetensors"), (b.Source, b.Version, b.Checkpoint));
        Assert.Equal(Bare(("newest/b/v2/model.safetensors", b2)), Bare(b.ETags));
        Assert.NotEqual(before, inputs.RunId);
    }

    [Fact]
    public async Task ResolveAsync_NewestVersionIncomplete_TakesTheNewestCompleteOne()
    {
        var resolver = await Resolver();
        await Put("fallback/a/v1/model.safetensors", "weights");
        var b1 = await Put("fallback/b/v1/model.safetensors", "weights b1");
        await Put("fallback/b/v2/model.safetensors.index.json", Index);
        await Put("fallback/b/v2/model-00001-of-00002.safetensors", "shard 1");
        await Put("fallback/cki.yaml", "task: synthetic\nsources: [a, b]\n");

        var inputs = await Resolve(resolver, "fallback");

        Assert.True(inputs.Ready, inputs.Reason);
        Assert.Equal(("v1", "checkpoints/fallback/b/v1/model.safetensors"), (inputs.Inputs[1].Version, inputs.Inputs[1].Checkpoint));
        Assert.Equal(Bare(("fallback/b/v1/model.safetensors", b1)), Bare(inputs.Inputs[1].ETags));
    }

    [Fact]
    public async Task ResolveAsync_IndexWithAShardMissing_IsNotReadyNamingTheSourceAndTheMissingShardFile()
    {
        var resolver = await Resolver();
        await Put("partial/a/v1/model.safetensors", "weights");
        await Put("partial/b/v1/model.safetensors.index.json", Index);
        await Put("partial/b/v1/model-00001-of-00002.safetensors", "shard 1");
        // A file one folder too deep is not part of the version.
        await Put("partial/b/v1/extra/model-00002-of-00002.safetensors", "shard 2");
        await Put("partial/cki.yaml", "task: synthetic\nsources: [a, b]\n");

        var inputs = await Resolve(resolver, "partial");

        Assert.False(inputs.Ready);
        Assert.Equal("waiting for a complete checkpoint (model.safetensors, or an index with all its shards) of checkpoints/partial/b/ " +
            "(checkpoints/partial/b/v1/model-00002-of-00002.safetensors listed in checkpoints/partial/b/v1/model.safetensors.index.json but absent)", inputs.Reason);
        Assert.Equal(["a"], inputs.Inputs.Select(i => i.Source));
    }

    [Fact]
    public async Task ResolveAsync_NoCheckpointAtAll_IsNotReadyNamingEverySource()
    {
        var resolver = await Resolver();
        await Put("empty/cki.yaml", "task: synthetic\nsources: [a, b]\n");

        var inputs = await Resolve(resolver, "empty");

        Assert.False(inputs.Ready);
        Assert.EndsWith(" of checkpoints/empty/a/ (no version folder yet), checkpoints/empty/b/ (no version folder yet)", inputs.Reason, StringComparison.Ordinal);
        Assert.Empty(inputs.Inputs);
    }

    [Fact]
    public async Task ResolveAsync_IndexWithEveryShard_IsReadyWithTheETagsOfIndexAndShards()
    {
        var resolver = await Resolver();
        await Put("sharded/a/v1/model.safetensors", "weights");
        var shard2 = await Put("sharded/b/v1/model-00002-of-00002.safetensors", "shard 2");
        var index = await Put("sharded/b/v1/model.safetensors.index.json", Index);
        var shard1 = await Put("sharded/b/v1/model-00001-of-00002.safetensors", "shard 1");
        await Put("sharded/cki.yaml", "task: synthetic\nsources: [a, b]\n");

        var inputs = await Resolve(resolver, "sharded");

        Assert.True(inputs.Ready, inputs.Reason);
        var b = inputs.Inputs[1];
        Assert.Equal(("b", "v1", "checkpoints/sharded/b/v1/model.safetensors.index.json"), (b.Source, b.Version, b.Checkpoint));
        Assert.Equal(Bare(("sharded/b/v1/" + IndexFile, index), ("sharded/b/v1/" + Shard1, shard1), ("sharded/b/v1/" + Shard2, shard2)), Bare(b.ETags));
    }

    [Fact]
    public async Task ResolveAsync_IndexThatIsNotJson_IsTheVersionsCheckpointForTheRunToReport()
    {
        var resolver = await Resolver();
        await Put("brokenindex/a/v1/model.safetensors", "weights");
        var index = await Put("brokenindex/b/v1/model.safetensors.index.json", "{ not json");
        await Put("brokenindex/cki.yaml", "task: synthetic\nsources: [a, b]\n");

        var inputs = await Resolve(resolver, "brokenindex");

        Assert.True(inputs.Ready, inputs.Reason);
        Assert.Equal("checkpoints/brokenindex/b/v1/model.safetensors.index.json", inputs.Inputs[1].Checkpoint);
        Assert.Equal(Bare(("brokenindex/b/v1/" + IndexFile, index)), Bare(inputs.Inputs[1].ETags));
    }

    [Fact]
    public async Task ResolveAsync_InvalidManifest_IsReadyWithTheCompleteCheckpointsThatExist()
    {
        var resolver = await Resolver();
        var b = await Put("invalid/b/v1/" + SingleFile, "weights b");
        await Put("invalid/a/v1/" + IndexFile, Index);
        await Put("invalid/a/v1/" + Shard1, "shard 1");
        await Put("invalid/a/v1/" + Shard2, "shard 2");
        await Put("invalid/c/v1/" + IndexFile, Index);
        await Put("invalid/c/v1/" + Shard1, "shard 1");
        var manifest = await Put("invalid/cki.yaml", "task: synthetic\nsources: [b, a, c]\nshard: 4\n");

        var inputs = await Resolve(resolver, "invalid");

        Assert.True(inputs.Ready);
        Assert.Null(inputs.Reason);
        Assert.Equal(manifest, inputs.ManifestETag);
        Assert.False(inputs.Nightly);
        // Without a valid manifest there is no source order: complete checkpoints by name; c lacks a shard.
        Assert.Equal(["a", "b"], inputs.Inputs.Select(i => i.Source));
        Assert.Equal("checkpoints/invalid/a/v1/" + IndexFile, inputs.Inputs[0].Checkpoint);
        Assert.Equal(3, inputs.Inputs[0].ETags.Count);
        Assert.Equal(Bare(("invalid/b/v1/" + SingleFile, b)), Bare(inputs.Inputs[1].ETags));
    }

    [Fact]
    public async Task LackingAsync_NoCompleteVersion_NamesWhatTheNewestVersionLacksDownToTheShardFile()
    {
        var resolver = await Resolver();
        await Put("lacking/a/v1/model.safetensors", "weights");
        await Put("lacking/b/v1/notes.txt", "no checkpoint in this version");
        await Put("lacking/b/v2/" + IndexFile, Index);
        await Put("lacking/b/v2/" + Shard2, "shard 2");

        var lacking = await resolver.LackingAsync("lacking", "b", CancellationToken.None);

        Assert.Equal("complete", await resolver.LackingAsync("lacking", "a", CancellationToken.None));
        Assert.Equal("checkpoints/lacking/b/v2/model-00001-of-00002.safetensors listed in checkpoints/lacking/b/v2/model.safetensors.index.json but absent", lacking);
    }

    [Fact]
    public async Task ResolveAsync_ManifestOverTheSizeLimit_IsReadyForTheRunToReportTheLimit()
    {
        var resolver = await Resolver();
        await Put("oversize/a/v1/model.safetensors", "weights");
        var manifest = await Put("oversize/cki.yaml", FamilyManifestBuilder.DataFree("a").Build() + "# " + new string('x', 65 * 1024) + "\n");

        var inputs = await Resolve(resolver, "oversize");

        Assert.True(inputs.Ready, inputs.Reason);
        Assert.Equal(manifest.Trim('"'), inputs.ManifestETag.Trim('"'));
        Assert.Equal(["a"], inputs.Inputs.Select(i => i.Source));
        Assert.Equal(inputs.RunId, (await Resolve(resolver, "oversize")).RunId);
    }

    [Fact]
    public async Task ResolveAsync_SameBytesUploadedAgain_SameRunIdThoughEveryETagChanged()
    {
        var resolver = await Resolver();
        async Task<string> DropAsync()
        {
            await Put("again/a/v1/model.safetensors", "weights a");
            await Put("again/b/v1/" + IndexFile, Index);
            await Put("again/b/v1/" + Shard1, "shard 1");
            await Put("again/b/v1/" + Shard2, "shard 2");
            await Put("again/cki.yaml", "task: synthetic\nsources: [a, b]\n");
            return (await Resolve(resolver, "again")).RunId;
        }

        var first = await DropAsync();
        var etags = (await Resolve(resolver, "again")).Inputs.SelectMany(i => i.ETags.Values).ToList();
        var second = await DropAsync();
        var changed = await Put("again/b/v1/" + Shard2, "shard 2, changed");

        Assert.Equal(first, second);
        Assert.Empty(etags.Intersect((await Resolve(resolver, "again")).Inputs.SelectMany(i => i.ETags.Values)));
        Assert.NotEqual(first, (await Resolve(resolver, "again")).RunId);
        Assert.NotNull(changed);
    }

    [Fact]
    public async Task FamiliesAsync_ManifestsAndCheckpoints_ListsOnlyTheFamiliesWithAManifest()
    {
        var resolver = await Resolver();
        await Put("listed-1/cki.yaml", "task: synthetic\nsources: [a, b]\n");
        await Put("listed-1/a/v1/model.safetensors", "weights");
        await Put("listed-2/cki.yaml", "not even yaml: [");
        await Put("unlisted-1/a/v1/model.safetensors", "weights");
        await Put("unlisted-2/a/cki.yaml", "task: synthetic\nsources: [a, b]\n");
        await Put("cki.yaml", "task: synthetic\nsources: [a, b]\n");

        var families = await resolver.FamiliesAsync(CancellationToken.None);

        Assert.Contains("listed-1", families);
        Assert.Contains("listed-2", families);
        Assert.DoesNotContain("unlisted-1", families);
        Assert.DoesNotContain("unlisted-2", families);
        Assert.DoesNotContain("cki.yaml", families);
        Assert.Equal(families.Distinct().Count(), families.Count);
    }
}
