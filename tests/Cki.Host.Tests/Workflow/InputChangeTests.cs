using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Cki.Contracts.Jobs;
using Cki.Contracts.Runs;
using Cki.Contracts.Storage;
using Cki.Host.Tests.Support;
using Cki.Testing;
using Cki.Testing.Builders;
using Microsoft.DurableTask.Client;

namespace Cki.Host.Tests.Workflow;

/// <summary>
/// A producer overwrites an input in place while a run splices it (a real cki-host over Azurite, real job processes):
/// the run fails saying so in one sentence, nothing mixed is ever published, and the new bytes get their own run.
/// </summary>
[Collection(WorkflowTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed class InputChangeTests(AzuriteFixture azurite)
{
    private const string Family = "swap";

    private static readonly List<(string Name, long[] Shape)> Layout =
        Enumerable.Range(0, 8).Select(i => ($"layer.{i}.weight", new long[] { 16, 16 })).ToList();

    [Fact]
    public async Task InputOverwrittenMidSplice_RunFailsNamingTheInput_OnlyTheNewRunIsPublished_NotMixed()
    {
        using var scratch = new ScratchFolder();
        var script = scratch.File("slow.sh");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\n# The real job, a little slower, so that the input changes among the splices.\nsleep 0.5\nexec dotnet {HostHarness.ComputeDll} \"$@\"\n");
        var options = HostHarness.Settings(azurite, "InputChange") with { ComputeCommand = "sh", ComputeArguments = script, LocalJobs = Cki.Workflow.Dispatch.LocalJobMode.Processes, MaxConcurrentJobs = 1 };
        await using var harness = await HostHarness.StartAsync(options);
        await HostHarness.DropAsync(harness.Storage, Family, FamilyManifestBuilder.DataFree("a", "b").Method("average").Shards(8).Build(), ["a", "b"], Layout);
        await HostHarness.WaitUntilAsync(async () => (await harness.RunsAsync(Family)).Count == 1, TimeSpan.FromMinutes(1), "run of the first drop");
        var first = (await harness.RunsAsync(Family))[0].InstanceId;
        var outputs = BlobLayout.IntegratedRunPrefix(Family, first);
        await HostHarness.WaitUntilAsync(async () => (await harness.Storage.ListAsync(BlobLayout.IntegratedContainer, outputs, default))
            .Count(b => b.Name.EndsWith(".safetensors", StringComparison.Ordinal)) >= 2, TimeSpan.FromMinutes(2), "two spliced shards of the first run");

        var replacement = SafetensorsFile.Build(Layout, seed: 7);
        await HostHarness.PutAsync(harness.Storage, BlobLayout.CheckpointsContainer, BlobLayout.CheckpointFile(Family, "a", "v1", CheckpointFileNames.SingleFile), replacement);

        await HostHarness.WaitUntilAsync(async () => await harness.Client.GetInstanceAsync(first) is { IsCompleted: true }, TimeSpan.FromMinutes(3), "end of the first run");
        var failed = (await harness.Client.GetInstanceAsync(first, getInputsAndOutputs: true))!;
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        var summary = JobJson.Deserialize<RunSummary>((await harness.Storage.ReadSmallAsync(BlobLayout.RunsContainer, BlobLayout.RunSummary(first), 1 << 20, default))!.Value.Content, "summary.json");
        Assert.StartsWith("input a changed during the run (checkpoints/swap/a/v1/model.safetensors is no longer the version the run started on",
            summary.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("412", summary.Error, StringComparison.Ordinal);

        await HostHarness.WaitUntilAsync(async () => (await harness.RunsAsync(Family)).Count == 2 && (await harness.RunsAsync(Family)).All(r => r.IsCompleted),
            TimeSpan.FromMinutes(3), "the run of the new bytes");
        var second = (await harness.RunsAsync(Family)).Single(r => r.InstanceId != first);
        HostHarness.AssertCompleted(second);

        var latest = JobJson.Deserialize<PublishedRun>((await harness.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer(Family), 1 << 20, default))!.Value.Content, "latest.json");
        Assert.Equal(second.InstanceId, latest.RunId);
        var provenance = Encoding.UTF8.GetString((await harness.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer,
            BlobLayout.IntegratedRunPrefix(Family, second.InstanceId) + "provenance.json", 1 << 20, default))!.Value.Content);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(replacement)), provenance, StringComparison.Ordinal);

        // Every published tensor is the average of the NEW a and b: no shard of the old a.
        var a = SafetensorsFile.Tensors(replacement);
        var b = SafetensorsFile.Tensors(SafetensorsFile.Build(Layout, seed: 1));
        var shards = (await harness.Storage.ListAsync(BlobLayout.IntegratedContainer, BlobLayout.IntegratedRunPrefix(Family, second.InstanceId), default))
            .Where(f => f.Name.EndsWith(".safetensors", StringComparison.Ordinal) && f.Name.Contains("/model-", StringComparison.Ordinal)
                && !f.Name.Contains(".compatibility.", StringComparison.Ordinal)).ToList();
        var checkedTensors = 0;
        foreach (var shard in shards)
        {
            var content = (await harness.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, shard.Name, 16 << 20, default))!.Value.Content;
            foreach (var (name, bytes) in SafetensorsFile.Tensors(content))
            {
                for (var i = 0; i < bytes.Length; i += 4)
                {
                    var expected = (Value(a[name], i) + Value(b[name], i)) / 2;
                    Assert.True(Math.Abs(Value(bytes, i) - expected) < 1e-6, $"{shard.Name} {name}[{i / 4}]: {Value(bytes, i)}, expected {expected}");
                }

                checkedTensors++;
            }
        }

        Assert.Equal(Layout.Count, checkedTensors);
        Assert.Empty(await harness.Storage.ListAsync(BlobLayout.IntegratedContainer, outputs, default));
    }

    private static float Value(byte[] bytes, int offset) => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(offset));
}
