using System.Text.Json;
using Cki.Compute.Checkpoints;
using Cki.Compute.Config;
using Cki.Compute.Demo;
using Cki.Compute.Merging;
using Cki.Contracts.Manifests;
using Cki.Contracts.Storage;
using Cki.Testing;

namespace Cki.Compute.Tests.Merging;

/// <summary>What Hugging Face tools need of a merge's output: <c>format: pt</c>, the config and tokenizer files, portable provenance.</summary>
public sealed class HubOutputTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private string Model(int seed) => DemoFamily.Write(_scratch.File($"m{seed}"), seed);

    [Fact]
    public void Merge_FileAndShardedOutputs_CarryFormatPt()
    {
        var single = MergeRun.Run(new MergeConfig { Models = [Model(0), Model(1)], Merge = MergeOptions.DefaultsFor(hasTask: false) with { Method = "average" }, Output = _scratch.File("m.safetensors") });
        using (var merged = Checkpoint.Open(single.Merge.ModelLocation, CheckpointLocations.Default))
        {
            Assert.Equal("pt", merged.Metadata["format"]);
        }

        var sharded = MergeRun.Run(new MergeConfig { Models = [Model(0), Model(1)], Merge = MergeOptions.DefaultsFor(hasTask: false) with { Method = "global-only" }, Output = _scratch.File("out"), MaxShardBytes = 64 << 10 });
        var index = ShardIndex.Parse("index", File.ReadAllBytes(sharded.Merge.ModelLocation));
        Assert.True(index.Shards.Count > 1);
        foreach (var shard in index.Shards)
        {
            using var reader = SafetensorsReader.Open(Path.Combine(_scratch.File("out"), shard));
            Assert.Equal("pt", reader.Header.Metadata["format"]);
        }
    }

    [Fact]
    public void Merge_FromConfigFile_ProvenanceNamesInputsRelativeToTheConfigFolder()
    {
        Model(0);
        Model(1);
        File.WriteAllText(_scratch.File("merge.yaml"), $"models: [m0, {_scratch.File("m1")}]\nmethod: average\noutput: out/m.safetensors\n");
        var result = MergeRun.Run(MergeConfigLoader.Load(_scratch.File("merge.yaml")));

        using var merged = Checkpoint.Open(result.Merge.ModelLocation, CheckpointLocations.Default);
        Assert.Equal(["m0/model.safetensors", "m1/model.safetensors"], JsonSerializer.Deserialize<string[]>(merged.Metadata["cki.models"])!);
        Assert.Equal(["m0/model.safetensors", "m1/model.safetensors"], JsonSerializer.Deserialize<string[]>(merged.Metadata["cki.input_files"])!);
        Assert.All(merged.Metadata.Values, v => Assert.DoesNotContain(_scratch.Path, v, StringComparison.Ordinal));
        Assert.DoesNotContain(_scratch.Path, File.ReadAllText(result.Merge.SummaryLocation), StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_CopiesConfigAndTokenizerFilesBesideModelA_OnlyKnownNamesWithinTheBound()
    {
        var a = Model(0);
        var folder = Path.GetDirectoryName(a)!;
        File.WriteAllText(Path.Combine(folder, "config.json"), "{\"model_type\": \"demo\"}");
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), "{\"version\": \"1.0\"}");
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not for the output");
        using (var large = File.Create(Path.Combine(folder, "vocab.txt")))
        {
            large.SetLength(CompanionFiles.MaxBytes + 1);
        }

        MergeRun.Run(new MergeConfig { Models = [a, Model(1)], Merge = MergeOptions.DefaultsFor(hasTask: false) with { Method = "average" }, Output = _scratch.File("out") });
        var skipped = new List<string>();
        var copied = CompanionFiles.Copy(a, MergeOutputLocation.From(_scratch.File("out")), CheckpointLocations.Default, skipped.Add, CancellationToken.None);

        var output = _scratch.File("out");
        Assert.Equal("{\"model_type\": \"demo\"}", File.ReadAllText(Path.Combine(output, "config.json")));
        Assert.Equal("{\"version\": \"1.0\"}", File.ReadAllText(Path.Combine(output, "tokenizer.json")));
        Assert.False(File.Exists(Path.Combine(output, "notes.txt")));
        Assert.False(File.Exists(Path.Combine(output, "vocab.txt")));
        Assert.False(File.Exists(Path.Combine(output, "generation_config.json")));
        Assert.Equal(["config.json", "tokenizer.json"], copied.Select(Path.GetFileName));
        Assert.Contains("vocab.txt", Assert.Single(skipped), StringComparison.Ordinal);
        using var merged = Checkpoint.Open(Path.Combine(output, CheckpointFileNames.SingleFile), CheckpointLocations.Default);
        Assert.Equal("average", merged.Metadata["cki.method"]);
    }
}
