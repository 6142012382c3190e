using Cki.Contracts.Storage;

namespace Cki.Contracts.Tests.Storage;

public class BlobLayoutTests
{
    [Fact]
    public void Names_FollowTheDesignLayout()
    {
        Assert.Equal("movies/cki.yaml", BlobLayout.FamilyManifest("movies"));
        Assert.Equal("movies/early/v3/model.safetensors", BlobLayout.CheckpointFile("movies", "early", "v3", CheckpointFileNames.SingleFile));
        Assert.Equal("r1/jobs/splice-0/spec.json", BlobLayout.JobSpec("r1", "splice-0"));
        Assert.Equal("r1/jobs/splice-0/result.json", BlobLayout.JobResult("r1", "splice-0"));
        Assert.Equal("movies/r1/", BlobLayout.IntegratedRunPrefix("movies", "r1"));
        Assert.Equal("movies/latest.json", BlobLayout.LatestPointer("movies"));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("")]
    public void Names_SegmentThatCouldEscapeItsPrefix_IsRejected(string segment)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => BlobLayout.FamilyManifest(segment));
        Assert.Equal("family", error.ParamName);
    }

    [Fact]
    public void Shard_NamesAreNumberedFromOneAndSortInOrder()
    {
        Assert.Equal("model-00001-of-00012.safetensors", CheckpointFileNames.Shard(1, 12));
        Assert.Equal("model-00012-of-00012.safetensors", CheckpointFileNames.Shard(12, 12));
        Assert.Throws<ArgumentOutOfRangeException>(() => CheckpointFileNames.Shard(13, 12));
        var names = Enumerable.Range(1, 12).Select(i => CheckpointFileNames.Shard(i, 12)).ToList();
        Assert.Equal(names, names.Order(StringComparer.Ordinal));
    }
}
