using System.Diagnostics;
using System.Text.Json;
using Cki.Contracts.Checkpoints;
using Cki.Contracts.Storage;
using Cki.Host.Tests.Support;
using Cki.Testing;
using Cki.Workflow.Triggers;
using Microsoft.Extensions.DependencyInjection;

namespace Cki.Host.Tests.Workflow;

/// <summary>A drop of checkpoints becomes one integration run on the real Durable Task Azure Storage provider over Azurite.</summary>
[Collection(WorkflowTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed class IntegrationRunTests(AzuriteFixture azurite)
{
    private const string DataFreeManifest = """
        task: none
        sources: [a, b, c]
        merge:
          method: global-only
        shards: 3
        """;

    [Fact]
    public async Task Drop_OneRunPublishesModelMapReportCardAndLatest_TensorsEqualCkiComputeMerge()
    {
        await using var harness = await HostHarness.StartAsync(HostHarness.Settings(azurite, "RunOutputs"));
        await HostHarness.DropAsync(harness.Storage, "outputs", DataFreeManifest, ["a", "b", "c"]);

        var run = await harness.WaitForRunAsync("outputs", TimeSpan.FromMinutes(3));

        HostHarness.AssertCompleted(run);
        Assert.Single(await harness.RunsAsync("outputs"));
        var prefix = BlobLayout.IntegratedRunPrefix("outputs", run.InstanceId);
        var files = (await harness.Storage.ListAsync(BlobLayout.IntegratedContainer, prefix, default)).Select(b => b.Name[prefix.Length..]).ToHashSet();
        foreach (var expected in new[]
        {
            CheckpointFileNames.ShardIndex, "model-00001-of-00003.safetensors", "model-00003-of-00003.safetensors",
            "model-00001-of-00003.compatibility.safetensors", "compatibility.json", "report.json", "report.md", "README.md", "provenance.json",
        })
        {
            Assert.Contains(expected, files);
        }

        var latest = await harness.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer("outputs"), 1 << 20, default);
        Assert.Equal(run.InstanceId, JsonDocument.Parse(latest!.Value.Content).RootElement.GetProperty("run_id").GetString());

        // The same merge through cki-compute merge, on the same three files, gives the same bytes for every tensor.
        using var scratch = new ScratchFolder();
        var inputs = new List<string>();
        for (var k = 0; k < 3; k++)
        {
            var path = scratch.File($"{(char)('a' + k)}.safetensors");
            await File.WriteAllBytesAsync(path, SafetensorsFile.Build(SafetensorsFile.Layout, seed: k));
            inputs.Add(path);
        }

        await File.WriteAllTextAsync(scratch.File("merge.yaml"),
            $"models: [{string.Join(", ", inputs)}]\nmethod: global-only\ntensors: all\noutput: {scratch.File("merged.safetensors")}\n");
        RunCompute("merge", "--config", scratch.File("merge.yaml"));
        var expectedTensors = SafetensorsFile.Tensors(await File.ReadAllBytesAsync(scratch.File("merged.safetensors")));
        var index = ShardIndex.Parse("index", (await harness.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, prefix + CheckpointFileNames.ShardIndex, 1 << 20, default))!.Value.Content);
        var actual = new Dictionary<string, byte[]>();
        foreach (var shard in index.Shards)
        {
            var read = await harness.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, prefix + shard, 1 << 26, default);
            foreach (var (name, bytes) in SafetensorsFile.Tensors(read!.Value.Content))
            {
                actual[name] = bytes;
            }
        }

        Assert.Equal(expectedTensors.Keys.Order(), actual.Keys.Order());
        foreach (var (name, bytes) in expectedTensors)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), $"tensor {name} differs from cki-compute merge");
        }

        // Global-only mixes the inputs: the merged trunk is none of them.
        Assert.False(expectedTensors["trunk.0.weight"].AsSpan().SequenceEqual(SafetensorsFile.Tensors(SafetensorsFile.Build(SafetensorsFile.Layout, 0))["trunk.0.weight"]));
    }

    [Fact]
    public async Task SameDropDeliveredThreeTimesInAnyOrder_StartsOneRun()
    {
        await using var harness = await HostHarness.StartAsync(HostHarness.Settings(azurite, "RunOnce"));
        var starter = harness.Host.App.Services.GetRequiredService<RunStarter>();

        // Manifest first, then the sources in reverse order, while the poller is watching.
        await HostHarness.DropAsync(harness.Storage, "once", DataFreeManifest, ["c", "b", "a"], manifestFirst: true);
        var redeliveries = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => starter.StartAsync("once", "blob", evenIfIncomplete: false, default)));
        var run = await harness.WaitForRunAsync("once", TimeSpan.FromMinutes(3));
        var again = await starter.StartAsync("once", "blob", evenIfIncomplete: false, default);

        HostHarness.AssertCompleted(run);
        Assert.Single(await harness.RunsAsync("once"));
        Assert.All(redeliveries, r => Assert.Equal(run.InstanceId, r.RunId));
        Assert.False(again.Started);
        Assert.Equal(run.InstanceId, again.RunId);
    }

    private static void RunCompute(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(HostHarness.ComputeDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "cki-compute did not finish in 2 minutes");
        Assert.True(process.ExitCode == 0, $"cki-compute {string.Join(' ', args)} failed: {stderr.Result}");
    }
}
