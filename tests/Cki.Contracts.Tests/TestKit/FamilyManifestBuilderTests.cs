using Cki.Contracts.Manifests;
using Cki.Testing.Builders;

namespace Cki.Contracts.Tests.TestKit;

/// <summary>The shared manifest builder writes the very text the tests used to write by hand, and the parser reads it as meant.</summary>
public sealed class FamilyManifestBuilderTests
{
    [Fact]
    public void Build_SourcesOnly_TheDataFreeManifest()
    {
        Assert.Equal("task: none\nsources: [a, b]\n", FamilyManifestBuilder.DataFree("a", "b").Build());
    }

    [Fact]
    public void Build_EveryField_TaskSourcesMergeShardsSchedule_InThatOrder()
    {
        var text = FamilyManifestBuilder.DataFree("a", "b", "c").Schedule("nightly").Shards(8).Method("average").Build();

        Assert.Equal("task: none\nsources: [a, b, c]\nmerge:\n  method: average\nshards: 8\nschedule: nightly\n", text);
    }

    [Fact]
    public void ToBytes_Utf8OfTheText_ThatTheParserReads()
    {
        var bytes = FamilyManifestBuilder.DataFree("a", "b").Method("average").Shards(2).ToBytes();

        Assert.Equal("task: none\nsources: [a, b]\nmerge:\n  method: average\nshards: 2\n"u8.ToArray(), bytes);
        var manifest = FamilyManifestParser.Parse(System.Text.Encoding.UTF8.GetString(bytes), "f/cki.yaml");
        Assert.Equal(new[] { "a", "b" }, manifest.Sources);
        Assert.Equal(("average", 2), (manifest.Merge.Method, manifest.Shards));
    }
}
