using System.Security.Cryptography;
using Cki.Compute.Checkpoints;
using Cki.Compute.Config;
using Cki.Compute.Demo;
using Cki.Compute.Merging;
using Cki.Compute.Tests.Checkpoints;
using Cki.Contracts.Manifests;
using Cki.Contracts.Storage;
using Cki.Testing;

namespace Cki.Compute.Tests.Merging;

public sealed class MergeRunTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private string Model(int seed, long maxShardBytes = long.MaxValue) =>
        DemoFamily.Write(Path.Combine(_scratch.Path, $"m{seed}"), seed, maxShardBytes);

    [Fact]
    public void Merge_ShardedFolderOutput_PatchesDigestsIntoEveryShardAndTheIndex()
    {
        var result = MergeRun.Run(new MergeConfig
        {
            Models = [Model(0), Model(1)],
            Merge = MergeOptions.DefaultsFor(hasTask: false) with { Method = "average" },
            Output = _scratch.File("out"),
            MaxShardBytes = 64 << 10,
        });
        Assert.EndsWith(CheckpointFileNames.ShardIndex, result.Merge.ModelLocation, StringComparison.Ordinal);
        var expected = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(_scratch.Path, "m0", CheckpointFileNames.SingleFile))));
        var index = ShardIndex.Parse("index", File.ReadAllBytes(result.Merge.ModelLocation));
        Assert.Equal(expected, index.Metadata[StreamingMerger.DigestKey(0)]);
        foreach (var shard in index.Shards)
        {
            using var reader = SafetensorsReader.Open(Path.Combine(_scratch.File("out"), shard));
            Assert.Equal(expected, reader.Header.Metadata[StreamingMerger.DigestKey(0)]);
        }

        Assert.True(File.Exists(Path.Combine(_scratch.File("out"), CheckpointFileNames.CompatibilityMap)));
        Assert.True(File.Exists(Path.Combine(_scratch.File("out"), CheckpointFileNames.CompatibilitySummary)));
    }

    [Fact]
    public void Merge_HashInputsOff_SaysSoAndRecordsNoDigest()
    {
        var result = MergeRun.Run(new MergeConfig { Models = [Model(0), Model(1)], Merge = MergeOptions.DefaultsFor(hasTask: false) with { Method = "average" }, HashInputs = false, Output = _scratch.File("m.safetensors") });
        using var merged = Checkpoint.Open(result.Merge.ModelLocation, CheckpointLocations.Default);
        Assert.Equal("not computed (hash_inputs: false)", merged.Metadata["cki.input_sha256"]);
        Assert.False(merged.Metadata.ContainsKey(StreamingMerger.DigestKey(0)));
        Assert.Empty(result.Merge.InputDigests);
    }

    [Fact]
    public void Merge_ThreeModelsGlobalOnly_RecordsTheKModelExtensionAndWeightsSumToOne()
    {
        var result = MergeRun.Run(new MergeConfig { Models = [Model(0), Model(1), Model(2)], Merge = MergeOptions.DefaultsFor(hasTask: false) with { Method = "global-only" }, Output = _scratch.File("m.safetensors") });
        using var merged = Checkpoint.Open(result.Merge.ModelLocation, CheckpointLocations.Default);
        Assert.Contains("K-model extension", merged.Metadata["cki.extension"], StringComparison.Ordinal);
        Assert.All(result.Merge.Summary.Tensors, t =>
        {
            Assert.Equal(3, t.MeanWeight.Count);
            Assert.Equal(1.0, t.MeanWeight.Sum(), 5);
        });
    }

    [Fact]
    public void Merge_TaskArithmeticAgainstBase_EqualsBasePlusSumOfTaskVectors()
    {
        var result = MergeRun.Run(new MergeConfig
        {
            Models = [Model(1), Model(2)],
            Merge = MergeOptions.DefaultsFor(hasTask: false) with
            {
                Method = "task-arithmetic", Base = Model(0), Lambda = 0.5, Tensors = TensorSelection.FromPatterns(["head.0.weight"]),
            },
            Output = _scratch.File("ta.safetensors"),
        });
        using var merged = Checkpoint.Open(result.Merge.ModelLocation, CheckpointLocations.Default);
        float[] Read(string location)
        {
            using var c = Checkpoint.Open(location, CheckpointLocations.Default);
            using var t = c.ReadTensor("head.0.weight");
            return t.data<float>().ToArray();
        }

        var (b, m1, m2) = (Read(Path.Combine(_scratch.Path, "m0")), Read(Path.Combine(_scratch.Path, "m1")), Read(Path.Combine(_scratch.Path, "m2")));
        using var actual = merged.ReadTensor("head.0.weight");
        var values = actual.data<float>().ToArray();
        for (var i = 0; i < b.Length; i++)
        {
            Assert.InRange(values[i] - (b[i] + (0.5f * ((m1[i] - b[i]) + (m2[i] - b[i])))), -1e-5, 1e-5);
        }
    }

    [Fact]
    public void HashingSource_ReadsOutOfOrder_StillGivesTheFileSha256()
    {
        var bytes = new byte[(9 << 20) + 123];
        new Random(4).NextBytes(bytes);
        using var source = new HashingByteSource(new MemoryByteSource("mem", bytes));
        var buffer = new byte[1 << 20];
        source.ReadExactly(0, buffer.AsSpan(0, 100));
        source.ReadExactly(5000, buffer);
        source.ReadExactly(100, buffer.AsSpan(0, 4900));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), source.Finish());
        Assert.True(source.RereadBytes > 0);
    }

    [Fact]
    public void HashingSource_SequentialReads_HashWithoutRereading()
    {
        var bytes = new byte[(20 << 20) + 7];
        new Random(5).NextBytes(bytes);
        using var source = new HashingByteSource(new MemoryByteSource("mem", bytes));
        var buffer = new byte[bytes.Length];
        source.ReadExactly(0, buffer.AsSpan(0, 8));
        source.ReadExactly(8, buffer.AsSpan(8));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), source.Finish());
        Assert.Equal(0, source.RereadBytes);
    }
}
