using Cki.Host.Tests.Support;
using Cki.Host.Tests.Workflow;
using Cki.Testing;
using Cki.Testing.Builders;

namespace Cki.Host.Tests.Triggers;

/// <summary>The run id derives from the inputs' content: the same bytes uploaded again are no change.</summary>
[Collection(WorkflowTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed class ContentIdentityTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task BlobPoller_SameFilesUploadedAgainUnderNewETags_StartsNoNewRun()
    {
        await using var harness = await TriggerTestHost.StartAsync(azurite, "SameBytes", settleSeconds: 1);
        var manifest = FamilyManifestBuilder.DataFree("a", "b").Shards(2).Build();
        await HostHarness.DropAsync(harness.Storage, "again", manifest, ["a", "b"]);
        var first = Assert.Single(await TriggerTestHost.WaitForRunsAsync(harness, "again", TimeSpan.FromSeconds(30)));

        await HostHarness.DropAsync(harness.Storage, "again", manifest, ["a", "b"]);
        await Task.Delay(TimeSpan.FromSeconds(5)); // the marker, then the settle period and a few polls

        Assert.Equal([first.InstanceId], (await harness.RunsAsync("again")).Select(r => r.InstanceId));
    }
}
