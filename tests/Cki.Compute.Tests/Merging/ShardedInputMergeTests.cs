using System.Runtime.InteropServices;
using Cki.Compute.Checkpoints;
using Cki.Compute.Merging;
using Cki.Contracts.Storage;
using Cki.Testing;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Merging;

/// <summary>
/// Models given as a Hugging Face shard index with many <c>model-0000i-of-0000n.safetensors</c> files, one on local
/// disk and one in blob storage, each split differently: the merge reads every tensor from whichever shard holds it
/// and gives, bit for bit, the float32 mean rounded to nearest even computed here by hand.
/// </summary>
public sealed class ShardedInputMergeTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private static IReadOnlyList<TensorSpec> Layout() =>
    [
        .. Enumerable.Range(0, 12).Select(i => new TensorSpec($"layers.{i}.weight", TensorDtype.BF16, [16 + (7 * i), 96])),
        new TensorSpec("position_ids", TensorDtype.I64, [64]),
        new TensorSpec("lm_head.weight", TensorDtype.BF16, [128, 96]),
    ];

    /// <summary>Seeded finite BF16 values around 1 (integers for the integer tensor).</summary>
    private static Dictionary<string, ushort[]> Values(IReadOnlyList<TensorSpec> layout, int seed)
    {
        var random = new Random(seed);
        return layout.Where(s => s.Dtype == TensorDtype.BF16).ToDictionary(s => s.Name, s =>
            Enumerable.Range(0, (int)s.ElementCount).Select(_ => (ushort)((random.Next(2) << 15) | (random.Next(110, 135) << 7) | random.Next(128))).ToArray());
    }

    private static string Write(string folder, IReadOnlyList<TensorSpec> layout, Dictionary<string, ushort[]> values, long maxShardBytes, CheckpointLocations locations)
    {
        using var writer = ShardedCheckpointWriter.Create(folder, layout, maxShardBytes, locations: locations);
        foreach (var spec in layout)
        {
            using var t = empty([.. spec.Shape], spec.Dtype.ToScalarType());
            if (values.TryGetValue(spec.Name, out var bits))
            {
                MemoryMarshal.AsBytes(bits.AsSpan()).CopyTo(t.bytes);
            }
            else
            {
                t.copy_(arange(spec.ElementCount, ScalarType.Int64).view([.. spec.Shape]));
            }

            writer.Write(spec.Name, t);
        }

        writer.Commit();
        Assert.True(writer.ShardCount > 3, $"{folder}: only {writer.ShardCount} shards");
        return writer.Location;
    }

    [Fact]
    public void Merge_ShardIndexesLocalAndInBlobStorage_AveragesEveryTensorBitForBit()
    {
        var container = azurite.Blobs.GetBlobContainerClient($"c{Guid.NewGuid():N}");
        container.Create();
        var blobLocations = new CheckpointLocations(new BlobClients(azurite.ConnectionString));
        var layout = Layout();
        var a = Values(layout, 1);
        var b = Values(layout, 2);
        // A split in many small shards on disk, B split differently in blob storage.
        var indexA = Write(Path.Combine(_scratch.Path, "a"), layout, a, maxShardBytes: 8 << 10, CheckpointLocations.Default);
        var indexB = Write($"{container.Uri}/b/", layout, b, maxShardBytes: 20 << 10, blobLocations);
        Assert.EndsWith(CheckpointFileNames.ShardIndex, indexA, StringComparison.Ordinal);
        Assert.Contains(container.GetBlobs(), blob => blob.Name.StartsWith("b/model-00001-of-", StringComparison.Ordinal));

        using var modelA = Checkpoint.Open(indexA, CheckpointLocations.Default);
        using var modelB = Checkpoint.Open(indexB, blobLocations);
        var output = Path.Combine(_scratch.Path, "merged.safetensors");
        StreamingMerger.Merge(new MergeRequest
        {
            Models = [modelA, modelB],
            Method = new AverageMethod(),
            Selected = _ => true,
            Output = MergeOutputLocation.From(output),
        });

        using var merged = Checkpoint.Open(output, CheckpointLocations.Default);
        foreach (var spec in layout)
        {
            using var read = merged.ReadTensor(spec.Name);
            if (!a.TryGetValue(spec.Name, out var bitsA))
            {
                Assert.Equal(arange(spec.ElementCount, ScalarType.Int64).data<long>().ToArray(), read.data<long>().ToArray());
                continue;
            }

            var bitsB = b[spec.Name];
            var expected = bitsA.Select((x, i) => HalfPrecisionMethodTests.Bf16RoundNearestEven((Float(x) + Float(bitsB[i])) / 2)).ToArray();
            Assert.Equal(expected, MemoryMarshal.Cast<byte, ushort>(read.bytes).ToArray());
        }

        static float Float(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);
    }
}
