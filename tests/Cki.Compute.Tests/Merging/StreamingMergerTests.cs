using Cki.Compute.Checkpoints;
using Cki.Compute.Demo;
using Cki.Compute.Merging;
using Cki.Compute.Statistics;
using Cki.Testing;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Merging;

public sealed class StreamingMergerTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private (Checkpoint A, Checkpoint B) DemoPair()
    {
        var a = DemoFamily.Write(Path.Combine(_scratch.Path, "a"), seed: 0);
        var b = DemoFamily.Write(Path.Combine(_scratch.Path, "b"), seed: 1, maxShardBytes: 64 << 10);
        return (Checkpoint.Open(a), Checkpoint.Open(b));
    }

    private static float[] Values(Checkpoint checkpoint, string name)
    {
        using var t = checkpoint.ReadTensor(name);
        return t.data<float>().ToArray();
    }

    [Fact]
    public void Average_HeadOnly_MeansTheHeadAndCopiesTheRestFromModelA()
    {
        var (a, b) = DemoPair();
        using (a)
        using (b)
        {
            var result = StreamingMerger.Merge([a, b], MergeMethods.Create("average"), n => n.StartsWith("head.", StringComparison.Ordinal),
                _scratch.File("merged"), new Dictionary<string, string> { ["method"] = "average" });
            using var merged = Checkpoint.Open(result.Location);
            var expected = Values(a, "head.0.weight").Zip(Values(b, "head.0.weight"), (x, y) => (x + y) / 2).ToArray();
            var actual = Values(merged, "head.0.weight");
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.InRange(actual[i] - expected[i], -1e-6, 1e-6);
            }

            Assert.Equal(Values(a, "trunk.0.weight"), Values(merged, "trunk.0.weight"));
            using var steps = merged.ReadTensor("trained_steps");
            Assert.Equal(1000L, steps.item<long>());
            Assert.Equal([0.5, 0.5], result.Weights["head.0.weight"]!);
            Assert.False(result.Weights.ContainsKey("trunk.0.weight"));
        }
    }

    [Fact]
    public void GlobalOnly_Soft_EqualsWgAPlusOneMinusWgBComputedIndependently()
    {
        var (a, b) = DemoPair();
        using (a)
        using (b)
        {
            var result = StreamingMerger.Merge([a, b], MergeMethods.Create("global-only"), _ => true, _scratch.File("merged"),
                new Dictionary<string, string>());
            using var merged = Checkpoint.Open(result.Location);
            foreach (var name in new[] { "head.0.weight", "head.2.weight", "embedding.weight" })
            {
                using var ta = a.ReadTensor(name);
                using var tb = b.ReadTensor(name);
                var dh = TensorStatistics.Compute(ta).Entropy - TensorStatistics.Compute(tb).Entropy;
                var wg = (0.4 / Math.PI * Math.Atan(500 * dh)) + 0.5;
                var expected = Values(a, name).Zip(Values(b, name), (x, y) => (wg * x) + ((1 - wg) * y)).ToArray();
                var actual = Values(merged, name);
                for (var i = 0; i < expected.Length; i++)
                {
                    Assert.InRange(actual[i] - expected[i], -1e-5, 1e-5);
                }

                Assert.Equal(wg, result.Weights[name]![0], 12);
            }
        }
    }

    [Fact]
    public void Merge_MismatchedArchitectures_FailsBeforeWritingWithPerTensorDiff()
    {
        var a = DemoFamily.Write(Path.Combine(_scratch.Path, "a"), seed: 0);
        var otherPath = _scratch.File("other.safetensors");
        var layout = new[] { new TensorSpec("head.0.weight", TensorDtype.F32, [64, 128]), new TensorSpec("extra", TensorDtype.F32, [1]) };
        using (var writer = SafetensorsWriter.Create(new FileCheckpointSink(otherPath), layout))
        {
            foreach (var spec in layout)
            {
                using var t = zeros(spec.Shape.ToArray());
                writer.Write(spec.Name, t);
            }

            writer.Commit();
        }

        using var ca = Checkpoint.Open(a);
        using var cb = Checkpoint.Open(otherPath);
        var output = _scratch.File("merged");
        var error = Assert.Throws<InvalidOperationException>(() =>
            StreamingMerger.Merge([ca, cb], MergeMethods.Create("average"), _ => true, output, new Dictionary<string, string>()));
        Assert.Contains("head.0.weight: F32 [128, 64] in", error.Message, StringComparison.Ordinal);
        Assert.Contains("F32 [64, 128] in", error.Message, StringComparison.Ordinal);
        Assert.Contains("embedding.weight: in", error.Message, StringComparison.Ordinal);
        Assert.Contains("extra: in", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Create_UnknownMethod_ListsTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => MergeMethods.Create("slerp"));
        Assert.Contains("average", error.Message, StringComparison.Ordinal);
        Assert.Contains("global-only", error.Message, StringComparison.Ordinal);
    }
}
