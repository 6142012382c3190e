using System.Text;
using Cki.Testing.Builders;

namespace Cki.Contracts.Tests.TestKit;

/// <summary>The shared family builder puts each source's checkpoint where a drop puts it, and the manifest last.</summary>
public sealed class FamilyBuilderTests
{
    [Fact]
    public async Task UploadAsync_TwoSources_CheckpointsThenTheManifest_UnderTheFamily()
    {
        var written = new List<(string Name, byte[] Content)>();

        await new FamilyBuilder("fam").Checkpoint("a", [1]).Checkpoint("b", [2]).Manifest(FamilyManifestBuilder.DataFree("a", "b").Shards(1))
            .UploadAsync((name, content) =>
            {
                written.Add((name, content));
                return Task.CompletedTask;
            });

        Assert.Equal(["fam/a/v1/model.safetensors", "fam/b/v1/model.safetensors", "fam/cki.yaml"], written.Select(w => w.Name));
        Assert.Equal([[1], [2], Encoding.UTF8.GetBytes("task: none\nsources: [a, b]\nshards: 1\n")], written.Select(w => w.Content));
    }
}
