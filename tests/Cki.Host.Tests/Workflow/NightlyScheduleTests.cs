using Cki.Contracts.Storage;
using Cki.Host.Tests.Support;
using Cki.Testing;
using Cki.Testing.Builders;
using Cki.Workflow.Triggers;
using Microsoft.Extensions.DependencyInjection;

namespace Cki.Host.Tests.Workflow;

/// <summary>The nightly pass re-integrates families that ask for it and whose inputs changed; nothing else.</summary>
[Collection(WorkflowTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed class NightlyScheduleTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task NightlyPass_StartsChangedNightlyFamiliesOnly()
    {
        using var scratch = new ScratchFolder();
        var hang = scratch.File("hang.sh");
        await File.WriteAllTextAsync(hang, "#!/bin/sh\n# Jobs that never end: the runs stay in flight; the test looks only at which runs start.\nexec sleep 600\n");
        // No blob triggers: only the nightly pass starts runs here.
        var options = HostHarness.Settings(azurite, "Nightly") with { BlobTriggers = false, ComputeCommand = "sh", ComputeArguments = hang };
        await using var harness = await HostHarness.StartAsync(options);
        await HostHarness.DropAsync(harness.Storage, "nightly", FamilyManifestBuilder.DataFree("a", "b").Schedule("nightly").Build(), ["a", "b"]);
        await HostHarness.DropAsync(harness.Storage, "manual", FamilyManifestBuilder.DataFree("a", "b").Schedule("manual").Build(), ["a", "b"]);
        var starter = harness.Host.App.Services.GetRequiredService<RunStarter>();

        var first = await starter.StartNightlyAsync(default);
        var unchanged = await starter.StartNightlyAsync(default);
        await HostHarness.PutAsync(harness.Storage, BlobLayout.CheckpointsContainer, BlobLayout.CheckpointFile("nightly", "b", "v2", CheckpointFileNames.SingleFile),
            SafetensorsFile.Build(SafetensorsFile.Layout, seed: 7));
        var changed = await starter.StartNightlyAsync(default);

        var started = Assert.Single(first, o => o.Family == "nightly");
        Assert.True(started.Started);
        Assert.DoesNotContain(first, o => o.Family == "manual");
        Assert.False(Assert.Single(unchanged, o => o.Family == "nightly").Started);
        var rerun = Assert.Single(changed, o => o.Family == "nightly");
        Assert.True(rerun.Started);
        Assert.NotEqual(started.RunId, rerun.RunId);
        Assert.Equal(2, (await harness.RunsAsync("nightly")).Count);
        Assert.Empty(await harness.RunsAsync("manual"));
    }
}
