using System.Text;
using System.Text.Json;
using Cki.Contracts.Storage;
using Cki.Host.Tests.Support;
using Cki.Host.Tests.Workflow;
using Cki.Host.Triggers;
using Cki.Testing;
using Cki.Testing.Builders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace Cki.Host.Tests.Triggers;

/// <summary>The poller lists only what can change, and keeps receipts only of blobs that can still trigger.</summary>
[Collection(WorkflowTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed class PollScopeTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const int EndedRuns = 100;

    [Fact]
    public async Task BlobPoller_HundredEndedRunsInStorage_ListsNoneOfTheirBlobs_DropsTheirReceipts()
    {
        var options = HostHarness.Settings(azurite, "PollScope") with { ComputeCommand = "true", MaxAttempts = 1 };
        var storage = new Cki.Workflow.Storage.WorkflowStorage(azurite.ConnectionString);
        await storage.EnsureContainersAsync(default);
        // The leftovers of runs that have ended (no instance in this task hub is in flight), and receipts of them.
        var receipts = new Dictionary<string, string>(StringComparer.Ordinal);
        await Task.WhenAll(Enumerable.Range(0, EndedRuns).Select(async i =>
        {
            var result = BlobLayout.JobResult($"ended-{i:D3}", "profile-a");
            await HostHarness.PutAsync(storage, BlobLayout.RunsContainer, result, Encoding.UTF8.GetBytes("{}"));
            await HostHarness.PutAsync(storage, BlobLayout.RunsContainer, BlobLayout.RunSummary($"ended-{i:D3}"), Encoding.UTF8.GetBytes("{}"));
        }));
        for (var i = 0; i < EndedRuns; i++)
        {
            receipts[BlobLayout.JobResult($"ended-{i:D3}", "profile-a")] = "\"0x1\"";
            receipts[$"gone-{i:D3}/a/v1/model.safetensors"] = "\"0x1\"";
        }

        foreach (var trigger in new[] { "job-results", "checkpoints" })
        {
            await HostHarness.PutAsync(storage, BlobLayout.HostContainer, BlobLayout.TriggerReceipts(trigger), JsonSerializer.SerializeToUtf8Bytes(receipts));
        }

        await using var harness = await HostHarness.StartAsync(options);
        await HostHarness.DropAsync(harness.Storage, "scope", FamilyManifestBuilder.DataFree("a", "b").Build(), ["a", "b"]);
        var poller = harness.Host.App.Services.GetServices<IHostedService>().OfType<BlobPoller>().Single();
        await Task.Delay(TimeSpan.FromSeconds(3));

        // The checkpoints container (every test's families share this Azurite) and the job folders of runs in flight, nothing of ended runs.
        var checkpoints = (await storage.ListAsync(BlobLayout.CheckpointsContainer, null, default)).Count;
        output.WriteLine($"{poller.BlobsListed} blobs listed in one poll ({checkpoints} in the checkpoints container), {EndedRuns} ended runs in storage");
        Assert.True(poller.BlobsListed - checkpoints < 10, $"{poller.BlobsListed} blobs listed in one poll, {checkpoints} of them checkpoints");
        foreach (var trigger in new[] { "job-results", "checkpoints" })
        {
            var kept = JsonSerializer.Deserialize<Dictionary<string, string>>(
                (await storage.ReadSmallAsync(BlobLayout.HostContainer, BlobLayout.TriggerReceipts(trigger), 1 << 20, default))!.Value.Content)!;
            Assert.DoesNotContain(kept.Keys, k => k.StartsWith("ended-", StringComparison.Ordinal) || k.StartsWith("gone-", StringComparison.Ordinal));
        }
    }
}
