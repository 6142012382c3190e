using System.Net;
using System.Text.Json;
using Cki.Host.Tests.Support;
using Cki.Host.Tests.Workflow;
using Cki.Testing;
using Cki.Testing.Builders;
using Microsoft.DurableTask.Client;

namespace Cki.Host.Tests.Triggers;

/// <summary>
/// Family names follow the source-name rule, and no family name can collide with the workflow's own instances (settle
/// periods, batches): a family called <c>settle-x</c> is listed and kept like any other (real host over Azurite).
/// </summary>
[Collection(WorkflowTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed class FamilyNameTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task FamilyNamedLikeASettlePeriod_IsListed_AndTheSettleOfItsNamesakeDoesNotPurgeIt()
    {
        await using var harness = await TriggerTestHost.StartAsync(azurite, "FamilyNames", settleSeconds: 1);
        await HostHarness.DropAsync(harness.Storage, "settle-x", FamilyManifestBuilder.DataFree("a", "b").Build(), ["a", "b"]);
        var lookalike = await harness.WaitForRunAsync("settle-x", TimeSpan.FromSeconds(60));
        using var http = harness.Http();

        var listed = await http.GetStringAsync(new Uri("/api/runs?family=settle-x", UriKind.Relative));
        Assert.Contains(lookalike.InstanceId, listed, StringComparison.Ordinal);

        // Family x settles (no _READY marker): its settle period ends by purging x's ended settle instances, never settle-x's runs.
        await HostHarness.DropAsync(harness.Storage, "x", FamilyManifestBuilder.DataFree("a", "b").Build(), ["a", "b"], markReady: false);
        await TriggerTestHost.WaitForRunsAsync(harness, "x", TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.NotNull(await harness.Client.GetInstanceAsync(lookalike.InstanceId));
        Assert.Contains(lookalike.InstanceId, await http.GetStringAsync(new Uri("/api/runs", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FolderThatIsNoFamilyName_StartsNothing_FamiliesSaysWhy_AndAStartByHandIs400()
    {
        await using var harness = await TriggerTestHost.StartAsync(azurite, "BadFamilyNames", settleSeconds: 1);
        await HostHarness.DropAsync(harness.Storage, "batch@x", FamilyManifestBuilder.DataFree("a", "b").Build(), ["a", "b"]);
        await HostHarness.DropAsync(harness.Storage, "broken", FamilyManifestBuilder.DataFree("a").Build(), ["a", "b"]);
        await TriggerTestHost.WaitForRunsAsync(harness, "broken", TimeSpan.FromSeconds(60));
        using var http = harness.Http();

        using var families = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/families", UriKind.Relative)));
        var bad = families.RootElement.EnumerateArray().Single(f => f.GetProperty("family").GetString() == "batch@x");
        Assert.False(bad.GetProperty("ready").GetBoolean());
        Assert.StartsWith("not a family name", bad.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var broken = families.RootElement.EnumerateArray().Single(f => f.GetProperty("family").GetString() == "broken");
        Assert.False(broken.GetProperty("ready").GetBoolean());
        Assert.Contains("the manifest cannot be used: checkpoints/broken/cki.yaml:2:10", broken.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var instances = new List<string>();
        await foreach (var instance in harness.Client.GetAllInstancesAsync(new OrchestrationQuery()))
        {
            instances.Add(instance.InstanceId);
        }

        Assert.DoesNotContain(instances, i => i.Contains("batch@x", StringComparison.Ordinal));
        using var start = await http.PostAsync(new Uri("/api/runs/Bad%20Name", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.BadRequest, start.StatusCode);
        Assert.Contains("family name 'Bad Name' is not valid", JsonDocument.Parse(await start.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(),
            StringComparison.Ordinal);
    }
}
