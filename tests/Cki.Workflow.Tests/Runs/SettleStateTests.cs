using Cki.Workflow.Storage;
using Cki.Workflow.Triggers;

namespace Cki.Workflow.Tests.Runs;

/// <summary>The settle rule's view of a family listing: a key that changes with any write, and the producer's marker.</summary>
public class SettleStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static BlobItemInfo Blob(string name, string etag, int second) => new(name, etag, 10, T0.AddSeconds(second));

    private static readonly BlobItemInfo[] Drop = [Blob("f/cki.yaml", "\"0x1\"", 0), Blob("f/a/v1/model.safetensors", "\"0x2\"", 1)];

    [Fact]
    public void Of_SameBlobsInAnyOrder_SameKey() =>
        Assert.Equal(SettleState.Of("f", Drop).Key, SettleState.Of("f", [.. Drop.Reverse()]).Key);

    [Fact]
    public void Of_OneBlobRewritten_OtherKey() =>
        Assert.NotEqual(SettleState.Of("f", Drop).Key, SettleState.Of("f", [Drop[0], Drop[1] with { ETag = "\"0x3\"" }]).Key);

    [Fact]
    public void Of_NoMarker_NotMarkedReady() => Assert.False(SettleState.Of("f", Drop).MarkedReady);

    [Fact]
    public void Of_MarkerInTheSameSecondAsTheNewestBlob_NotMarkedReady_ItMayHaveComeFirst() =>
        Assert.False(SettleState.Of("f", [.. Drop, Blob("f/_READY", "\"0x9\"", 1)]).MarkedReady);

    [Fact]
    public void Of_MarkerASecondAfterTheNewestBlob_MarkedReady() =>
        Assert.True(SettleState.Of("f", [.. Drop, Blob("f/_READY", "\"0x9\"", 2)]).MarkedReady);

    [Fact]
    public void Of_BlobWrittenAfterTheMarker_NotMarkedReady() =>
        Assert.False(SettleState.Of("f", [.. Drop, Blob("f/_READY", "\"0x9\"", 1), Blob("f/b/v1/model.safetensors", "\"0x4\"", 2)]).MarkedReady);
}
