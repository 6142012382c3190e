using Cki.Compute.Checkpoints;
using Cki.Contracts.Storage;
using Cki.Testing;

namespace Cki.Compute.Tests.Checkpoints;

public sealed class RoundTripTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    /// <summary>One tensor of every dtype, plus a scalar and an empty tensor.</summary>
    internal static IReadOnlyList<TensorSpec> EveryDtype() =>
    [
        .. Enum.GetValues<TensorDtype>().Select((d, i) => new TensorSpec($"t.{d}", d, [3, 5 + i])),
        new("scalar", TensorDtype.F64, []),
        new("empty", TensorDtype.F32, [0, 4]),
    ];

    internal static void WriteAndCompare(string folder, IReadOnlyList<TensorSpec> layout, long maxShardBytes, CheckpointLocations locations)
    {
        var metadata = new Dictionary<string, string> { ["producer"] = "test", ["seed"] = "7" };
        var expected = new Dictionary<string, byte[]>();
        string location;
        using (var writer = ShardedCheckpointWriter.Create(folder, layout, maxShardBytes, metadata, locations))
        {
            for (var i = 0; i < layout.Count; i++)
            {
                using var t = TensorBytes.Random(layout[i], seed: i);
                expected[layout[i].Name] = TensorBytes.Of(t);
                writer.Write(layout[i].Name, t);
            }

            writer.Commit();
            location = writer.Location;
        }

        using var checkpoint = Checkpoint.Open(location, locations);
        Assert.Equal(layout.Select(s => s.Name).Order(), checkpoint.Tensors.Select(s => s.Name).Order());
        Assert.Equal("7", checkpoint.Metadata["seed"]);
        foreach (var spec in layout)
        {
            Assert.True(spec.SameLayout(checkpoint.Tensors.Single(s => s.Name == spec.Name)));
            using var read = checkpoint.ReadTensor(spec.Name);
            Assert.Equal(spec.Dtype.ToScalarType(), read.dtype);
            Assert.Equal(spec.Shape, read.shape);
            Assert.Equal(expected[spec.Name], TensorBytes.Of(read));
        }
    }

    [Fact]
    public void WriteThenRead_EveryDtypeOneFile_BitForBitEqual()
    {
        WriteAndCompare(_scratch.Path, EveryDtype(), long.MaxValue, CheckpointLocations.Default);
        Assert.True(File.Exists(_scratch.File(CheckpointFileNames.SingleFile)));
    }

    [Fact]
    public void WriteThenRead_EveryDtypeSharded_BitForBitEqualAndIndexed()
    {
        WriteAndCompare(_scratch.Path, EveryDtype(), maxShardBytes: 100, CheckpointLocations.Default);
        var shards = Directory.GetFiles(_scratch.Path, "model-*-of-*.safetensors");
        Assert.True(shards.Length > 3);
        Assert.True(File.Exists(_scratch.File(CheckpointFileNames.ShardIndex)));
        Assert.Empty(Directory.GetFiles(_scratch.Path, "*.partial-*"));
    }

    [Fact]
    public void Write_HeaderIsPaddedToEightBytes()
    {
        var header = SafetensorsWriter.BuildHeader(EveryDtype(), new Dictionary<string, string> { ["k"] = "v" });
        Assert.Equal(0, header.Length % 8);
        Assert.Equal((ulong)(header.Length - 8), BitConverter.ToUInt64(header, 0));
        Assert.Equal((byte)'}', header.Reverse().SkipWhile(b => b == ' ').First());
    }

    [Fact]
    public void Write_AbandonedBeforeCommit_LeavesNothingUnderTheName()
    {
        var path = _scratch.File("model.safetensors");
        var layout = EveryDtype();
        using (var writer = SafetensorsWriter.Create(new FileCheckpointSink(path), layout))
        {
            using var first = TensorBytes.Random(layout[0], 0);
            writer.Write(layout[0].Name, first);
            Assert.Throws<InvalidOperationException>(() => writer.Commit());
        }

        Assert.Empty(Directory.GetFiles(_scratch.Path));
    }

    [Fact]
    public void Write_TensorOfWrongShape_IsRejectedWithBothShapes()
    {
        var layout = new[] { new TensorSpec("w", TensorDtype.F32, [2, 2]) };
        using var writer = SafetensorsWriter.Create(new FileCheckpointSink(_scratch.File("x.safetensors")), layout);
        using var wrong = TorchSharp.torch.zeros(3, 2);
        var error = Assert.Throws<ArgumentException>(() => writer.Write("w", wrong));
        Assert.Contains("[3, 2]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 2]", error.Message, StringComparison.Ordinal);
    }
}
