using System.Text.Json;
using System.Text;
using Cki.Contracts.Storage;
using Cki.Host.Tests.Support;
using Cki.Testing;
using Cki.Testing.Builders;
using Cki.Workflow.Triggers;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Cki.Host.Tests.Workflow;

/// <summary>latest.json only moves forward: a slow run of older inputs that ends after a newer run never replaces it.</summary>
[Collection(WorkflowTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed class PublishOrderTests(AzuriteFixture azurite)
{
    private const string Family = "order";
    private static readonly string Manifest = FamilyManifestBuilder.DataFree("a", "b").Shards(2).Build();

    [Fact]
    public async Task OlderRunEndsAfterNewerRunPublished_LatestKeepsNewer_OlderCompletesAsSuperseded()
    {
        using var scratch = new ScratchFolder();
        var gate = scratch.File("gate");
        await File.WriteAllTextAsync(gate, "*");
        // Jobs wait while the gate holds "*" or their run's id, then run the real cki-compute.
        var script = scratch.File("gated.sh");
        await File.WriteAllTextAsync(script, $$"""
            #!/bin/sh
            # A job held back while {{gate}} holds "*" or (part of) its spec URL.
            while [ -s {{gate}} ] && { [ "$(cat {{gate}})" = "*" ] || echo "$3" | grep -qF "$(cat {{gate}})"; }; do sleep 0.1; done
            exec dotnet {{HostHarness.ComputeDll}} "$@"
            """);
        var options = HostHarness.Settings(azurite, "PublishOrder") with
        {
            ComputeCommand = "sh", ComputeArguments = script, LocalJobs = Cki.Workflow.Dispatch.LocalJobMode.Processes, BlobTriggers = false, MaxConcurrentJobs = 4, ProbeIntervalSeconds = 1,
        };
        await using var harness = await HostHarness.StartAsync(options);
        var starter = harness.Host.App.Services.GetRequiredService<RunStarter>();
        await HostHarness.DropAsync(harness.Storage, Family, Manifest, ["a", "b"]);
        var older = (await starter.StartAsync(Family, "http", evenIfIncomplete: false, CancellationToken.None)).RunId!;
        await HostHarness.WaitUntilAsync(async () => (await harness.Client.GetInstanceAsync(older, getInputsAndOutputs: true))?.SerializedCustomStatus?.Contains("profile", StringComparison.Ordinal) == true, TimeSpan.FromMinutes(2), "the older run's profile phase");

        // v2 of both sources arrives while the older run's jobs are held back; only the older run stays held.
        for (var k = 0; k < 2; k++)
        {
            await HostHarness.PutAsync(harness.Storage, BlobLayout.CheckpointsContainer, BlobLayout.CheckpointFile(Family, k == 0 ? "a" : "b", "v2", CheckpointFileNames.SingleFile),
                SafetensorsFile.Build(SafetensorsFile.Layout, seed: 10 + k));
        }

        await File.WriteAllTextAsync(gate, older);
        var newer = (await starter.StartAsync(Family, "http", evenIfIncomplete: false, CancellationToken.None)).RunId!;
        Assert.NotEqual(older, newer);
        var newerRun = await WaitEndedAsync(harness, newer);
        HostHarness.AssertCompleted(newerRun);
        var published = (await harness.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer(Family), 1 << 20, default))!.Value;

        File.Delete(gate); // the older run goes on and finishes after the newer one was published
        var olderRun = await WaitEndedAsync(harness, older);

        HostHarness.AssertCompleted(olderRun);
        Assert.Contains("superseded", olderRun.SerializedCustomStatus, StringComparison.Ordinal);
        var latest = (await harness.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer(Family), 1 << 20, default))!.Value;
        Assert.Equal(published.ETag, latest.ETag);
        var pointer = JsonDocument.Parse(latest.Content).RootElement;
        Assert.Equal(newer, pointer.GetProperty("run_id").GetString());
        Assert.Equal(["v2", "v2"], pointer.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("version").GetString()!).ToArray());
        var summary = JsonDocument.Parse((await harness.Storage.ReadSmallAsync(BlobLayout.RunsContainer, BlobLayout.RunSummary(older), 1 << 20, default))!.Value.Content).RootElement;
        Assert.Equal("superseded", summary.GetProperty("outcome").GetString());
        Assert.Equal(newer, summary.GetProperty("superseded_by").GetString());
        Assert.Contains("a v1 vs v2", summary.GetProperty("publication").GetString(), StringComparison.Ordinal);
        // The older run's outputs are kept in its own folder.
        var kept = await harness.Storage.ListAsync(BlobLayout.IntegratedContainer, BlobLayout.IntegratedRunPrefix(Family, older), default);
        Assert.Contains(kept, b => b.Name.EndsWith(CheckpointFileNames.ShardIndex, StringComparison.Ordinal));
        var report = Encoding.UTF8.GetString((await harness.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer,
            BlobLayout.IntegratedFile(Family, older, "report.md"), 1 << 20, default))!.Value.Content);
        Assert.Contains("Not published", report, StringComparison.Ordinal);
    }

    private static async Task<OrchestrationMetadata> WaitEndedAsync(HostHarness harness, string runId)
    {
        OrchestrationMetadata? run = null;
        await HostHarness.WaitUntilAsync(async () => (run = await harness.Client.GetInstanceAsync(runId, getInputsAndOutputs: true))?.IsCompleted == true, TimeSpan.FromMinutes(2), $"the end of {runId}");
        return run!;
    }
}
