using System.Diagnostics;
using Cki.Contracts.Storage;
using Cki.Host.Tests.Support;
using Cki.Host.Tests.Workflow;
using Cki.Testing;
using Cki.Testing.Builders;
using Cki.Workflow.Messages;

namespace Cki.Host.Tests.Triggers;

/// <summary>A drop is a set of blobs: a blob-triggered run starts once the family has settled, on the final versions.</summary>
[Collection(WorkflowTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed class SettleTests(AzuriteFixture azurite)
{
    private static readonly byte[] Manifest = FamilyManifestBuilder.DataFree("a", "b").Shards(2).ToBytes();

    private static string Model(string family, string source, string version) => BlobLayout.CheckpointFile(family, source, version, CheckpointFileNames.SingleFile);

    [Fact]
    public async Task BlobPoller_SourcesUploadedSecondsApartWithASettlePeriod_OneRunOfTheFinalVersions()
    {
        await using var harness = await TriggerTestHost.StartAsync(azurite, "SettleApart", settleSeconds: 3);
        await TriggerTestHost.PutAsync(harness, BlobLayout.FamilyManifest("apart"), Manifest);
        await TriggerTestHost.PutAsync(harness, Model("apart", "a", "v1"), SafetensorsFile.Build(SafetensorsFile.Layout, seed: 0));
        await TriggerTestHost.PutAsync(harness, Model("apart", "b", "v1"), SafetensorsFile.Build(SafetensorsFile.Layout, seed: 1));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await TriggerTestHost.PutAsync(harness, Model("apart", "a", "v2"), SafetensorsFile.Build(SafetensorsFile.Layout, seed: 2));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await TriggerTestHost.PutAsync(harness, Model("apart", "b", "v2"), SafetensorsFile.Build(SafetensorsFile.Layout, seed: 3));

        await TriggerTestHost.WaitForRunsAsync(harness, "apart", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(5)); // longer than the settle period and a few polls: any other run would have started

        var run = Assert.Single(await harness.RunsAsync("apart"));
        Assert.Equal(["v2", "v2"], run.ReadInputAs<RunRequest>()!.Inputs.Select(i => i.Version));
    }

    [Fact]
    public async Task BlobPoller_ReadyMarkerNewestThenABlobAfterIt_FirstRunAtOnceThenTheLaterBlobWaits()
    {
        await using var harness = await TriggerTestHost.StartAsync(azurite, "SettleMarker", settleSeconds: 120);
        var clock = Stopwatch.StartNew();
        await HostHarness.DropAsync(harness.Storage, "marked", FamilyManifestBuilder.DataFree("a", "b").Shards(2).Build(), ["a", "b"]);

        var first = Assert.Single(await TriggerTestHost.WaitForRunsAsync(harness, "marked", TimeSpan.FromSeconds(20)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the marker did not start the run before the settle period");

        await Task.Delay(TimeSpan.FromSeconds(1.1)); // storage times have one-second resolution: the new version is newer than the marker
        await TriggerTestHost.PutAsync(harness, Model("marked", "b", "v2"), SafetensorsFile.Build(SafetensorsFile.Layout, seed: 5));
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Equal([first.InstanceId], (await harness.RunsAsync("marked")).Select(r => r.InstanceId));

        await TriggerTestHost.PutAsync(harness, BlobLayout.ReadyMarker("marked"), []);
        var clock2 = Stopwatch.StartNew();
        while ((await harness.RunsAsync("marked")).Count < 2)
        {
            Assert.True(clock2.Elapsed < TimeSpan.FromSeconds(20), "a new marker did not start the run of the new version");
            await Task.Delay(200);
        }

        var second = (await harness.RunsAsync("marked")).Single(r => r.InstanceId != first.InstanceId);
        Assert.Equal(["v1", "v2"], second.ReadInputAs<RunRequest>()!.Inputs.Select(i => i.Version));
    }
}
