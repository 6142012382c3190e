using System.Net;
using System.Text;
using System.Text.Json;
using Cki.Contracts.Storage;
using Cki.Host.Tests.Support;
using Cki.Host.Tests.Workflow;
using Cki.Testing;
using Cki.Testing.Builders;
using Microsoft.DurableTask.Client;

namespace Cki.Host.Tests.Triggers;

/// <summary><c>GET /api/families</c>: an incomplete family says why, naming the source and the missing file.</summary>
[Collection(WorkflowTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed class FamilyApiTests(AzuriteFixture azurite)
{
    private const string Missing = "checkpoints/shardless/b/v2/model-00002-of-00003.safetensors";

    [Fact]
    public async Task GetFamilies_IndexWithAShardAbsent_NotReadyNamingTheMissingShardFile_AndAStartByHandFailsNamingItToo()
    {
        await using var harness = await TriggerTestHost.StartAsync(azurite, "Families", settleSeconds: 1);
        await HostHarness.DropAsync(harness.Storage, "complete", FamilyManifestBuilder.DataFree("a", "b").Build(), ["a", "b"]);
        await TriggerTestHost.PutAsync(harness, BlobLayout.CheckpointFile("shardless", "b", "v2", CheckpointFileNames.ShardIndex), Encoding.UTF8.GetBytes(
            """{"weight_map":{"u":"model-00001-of-00003.safetensors","v":"model-00002-of-00003.safetensors","w":"model-00003-of-00003.safetensors"}}"""));
        foreach (var shard in new[] { 1, 3 })
        {
            await TriggerTestHost.PutAsync(harness, BlobLayout.CheckpointFile("shardless", "b", "v2", CheckpointFileNames.Shard(shard, 3)), [1, 2, 3]);
        }

        await HostHarness.DropAsync(harness.Storage, "shardless", FamilyManifestBuilder.DataFree("a", "b").Build(), ["a"]);
        using var http = harness.Http();

        using var families = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/families", UriKind.Relative)));

        var shardless = families.RootElement.EnumerateArray().Single(f => f.GetProperty("family").GetString() == "shardless");
        Assert.False(shardless.GetProperty("ready").GetBoolean());
        Assert.Contains("checkpoints/shardless/b/", shardless.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains(Missing + " listed in checkpoints/shardless/b/v2/model.safetensors.index.json but absent", shardless.GetProperty("reason").GetString(),
            StringComparison.Ordinal);
        var complete = families.RootElement.EnumerateArray().Single(f => f.GetProperty("family").GetString() == "complete");
        Assert.True(complete.GetProperty("ready").GetBoolean());
        Assert.StartsWith("complete-", complete.GetProperty("runId").GetString(), StringComparison.Ordinal);

        using var start = await http.PostAsync(new Uri("/api/runs/shardless", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var run = await harness.WaitForRunAsync("shardless", TimeSpan.FromSeconds(45));
        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Contains(Missing, await TriggerTestHost.ErrorAsync(harness, run), StringComparison.Ordinal);
    }
}
