using System.Text;
using Cki.Contracts.Storage;
using Cki.Host.Tests.Support;
using Cki.Host.Tests.Workflow;
using Cki.Testing;
using Cki.Testing.Builders;
using Microsoft.DurableTask.Client;

namespace Cki.Host.Tests.Triggers;

/// <summary>Every problem that stops a family from starting is a failed run with the reason, once per manifest version.</summary>
[Collection(WorkflowTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed class ManifestSizeTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task BlobPoller_ManifestOverTheSizeLimit_OneFailedRunNamingTheLimit()
    {
        await using var harness = await TriggerTestHost.StartAsync(azurite, "BigManifest", settleSeconds: 1);
        var manifest = FamilyManifestBuilder.DataFree("a", "b").Build() + "# " + new string('x', 65 * 1024) + "\n";

        await HostHarness.DropAsync(harness.Storage, "big", manifest, ["a", "b"]);
        var run = await harness.WaitForRunAsync("big", TimeSpan.FromSeconds(45));
        await Task.Delay(TimeSpan.FromSeconds(3)); // more polls: the same manifest version starts nothing more

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        var error = await TriggerTestHost.ErrorAsync(harness, run);
        Assert.Contains("checkpoints/big/cki.yaml", error, StringComparison.Ordinal);
        Assert.Contains("over the limit of 65536", error, StringComparison.Ordinal);
        Assert.Single(await harness.RunsAsync("big"));
        Assert.Empty(await harness.Storage.ListAsync(BlobLayout.RunsContainer, $"{run.InstanceId}/jobs/", default));
        Assert.True(Encoding.UTF8.GetByteCount(manifest) > 65536);
    }
}
