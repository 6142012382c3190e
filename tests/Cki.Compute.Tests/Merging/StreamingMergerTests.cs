using System.Security.Cryptography;
using Cki.Compute.Checkpoints;
using Cki.Compute.Config;
using Cki.Compute.Demo;
using Cki.Compute.Merging;
using Cki.Compute.Method;
using Cki.Contracts.Manifests;
using Cki.Testing;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Merging;

public sealed class StreamingMergerTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private (string A, string B) DemoPair() =>
        (DemoFamily.Write(Path.Combine(_scratch.Path, "a"), seed: 0), DemoFamily.Write(Path.Combine(_scratch.Path, "b"), seed: 1, maxShardBytes: 64 << 10));

    private static float[] Values(string location, string name)
    {
        using var checkpoint = Checkpoint.Open(location, CheckpointLocations.Default);
        using var t = checkpoint.ReadTensor(name);
        return t.data<float>().ToArray();
    }

    private MergeRunResult Run(string method, IReadOnlyList<string> models, Func<MergeConfig, MergeConfig>? tweak = null)
    {
        var config = new MergeConfig { Models = models, Merge = MergeOptions.DefaultsFor(hasTask: false) with { Method = method }, Output = _scratch.File("out/merged.safetensors") };
        return MergeRun.Run(tweak is null ? config : tweak(config));
    }

    [Fact]
    public void Average_HeadPatterns_MeansTheHeadAndCopiesTheRestFromModelA()
    {
        var (a, b) = DemoPair();
        var result = Run("average", [a, b], c => c with { Merge = c.Merge with { Tensors = TensorSelection.FromPatterns(["head.*.weight"]) } });
        var merged = result.Merge.ModelLocation;
        var expected = Values(a, "head.0.weight").Zip(Values(b, "head.0.weight"), (x, y) => (x + y) / 2).ToArray();
        var actual = Values(merged, "head.0.weight");
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.InRange(actual[i] - expected[i], -1e-6, 1e-6);
        }

        Assert.Equal(Values(a, "trunk.0.weight"), Values(merged, "trunk.0.weight"));
        Assert.Equal(Values(a, "head.0.bias"), Values(merged, "head.0.bias"));
        using var checkpoint = Checkpoint.Open(merged, CheckpointLocations.Default);
        using var steps = checkpoint.ReadTensor("trained_steps");
        Assert.Equal(1000L, steps.item<long>());
        Assert.Equal(["head.0.weight", "head.1.weight", "head.2.weight"], result.Merge.Summary.Tensors.Select(t => t.Tensor));
        Assert.All(result.Merge.Summary.Tensors, t => Assert.Equal([0.5, 0.5], t.MeanWeight.Select(w => Math.Round(w, 6))));
    }

    [Fact]
    public void GlobalOnly_Soft_EqualsWgAPlusOneMinusWgBComputedIndependently()
    {
        var (a, b) = DemoPair();
        var result = Run("global-only", [a, b]);
        foreach (var name in new[] { "head.0.weight", "head.2.weight", "embedding.weight" })
        {
            using var ca = Checkpoint.Open(a, CheckpointLocations.Default);
            using var cb = Checkpoint.Open(b, CheckpointLocations.Default);
            using var ta = ca.ReadTensor(name);
            using var tb = cb.ReadTensor(name);
            var dh = GlobalInformation.Entropy(ta) - GlobalInformation.Entropy(tb);
            var wg = (0.4 / Math.PI * Math.Atan(500 * dh)) + 0.5;
            var expected = Values(a, name).Zip(Values(b, name), (x, y) => (wg * x) + ((1 - wg) * y)).ToArray();
            var actual = Values(result.Merge.ModelLocation, name);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.InRange(actual[i] - expected[i], -1e-5, 1e-5);
            }

            var map = Values(result.Merge.MapLocation!, name);
            Assert.Equal(wg, map[0], 5);
            Assert.Equal(1 - wg, map[1], 5);
        }
    }

    [Fact]
    public void Merge_RecordsProvenanceWithTheInputsSha256()
    {
        var (a, b) = DemoPair();
        var result = Run("average", [a, b]);
        using var merged = Checkpoint.Open(result.Merge.ModelLocation, CheckpointLocations.Default);
        using var ca = Checkpoint.Open(a, CheckpointLocations.Default);
        using var cb = Checkpoint.Open(b, CheckpointLocations.Default);
        var files = ca.Files.Concat(cb.Files).ToList();
        Assert.Equal(4, files.Count);
        for (var i = 0; i < files.Count; i++)
        {
            var expected = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(files[i])));
            Assert.Equal(expected, merged.Metadata[StreamingMerger.DigestKey(i)]);
        }

        Assert.Equal("average", merged.Metadata["cki.method"]);
        // The options every method takes, and none that average does not declare.
        Assert.Equal("{\"allow_non_finite\":false,\"tensors\":\"all\"}", merged.Metadata["cki.options"]);
        Assert.StartsWith("cki-compute ", merged.Metadata["cki.tool"], StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_MismatchedArchitectures_FailsBeforeWritingWithPerTensorDiff()
    {
        var a = DemoFamily.Write(Path.Combine(_scratch.Path, "a"), seed: 0);
        var other = _scratch.File("other.safetensors");
        WriteTensors(other, ("head.0.weight", zeros(64, 128)), ("extra", zeros(1)));
        var error = Assert.Throws<InvalidOperationException>(() => Run("average", [a, other]));
        Assert.Contains("head.0.weight: F32 [128, 64] in", error.Message, StringComparison.Ordinal);
        Assert.Contains("F32 [64, 128] in", error.Message, StringComparison.Ordinal);
        Assert.Contains("embedding.weight: in", error.Message, StringComparison.Ordinal);
        Assert.Contains("extra: in", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_scratch.File("out")));
    }

    [Fact]
    public void Merge_NonFiniteInput_FailsNamingTensorUnlessAllowed()
    {
        var a = _scratch.File("a.safetensors");
        var b = _scratch.File("b.safetensors");
        WriteTensors(a, ("w", tensor(new float[] { 1, 2, 3 })));
        WriteTensors(b, ("w", tensor(new float[] { 1, float.NaN, 3 })));
        var error = Assert.Throws<InvalidOperationException>(() => Run("average", [a, b]));
        Assert.Contains("'w' holds 1 NaN or infinite", error.Message, StringComparison.Ordinal);
        Assert.Contains(b, error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(_scratch.File("out")) ? Directory.GetFiles(_scratch.File("out")) : []);

        var allowed = Run("average", [a, b], c => c with { Merge = c.Merge with { AllowNonFinite = true } });
        Assert.True(File.Exists(allowed.Merge.ModelLocation));
    }

    internal static void WriteTensors(string path, params (string Name, Tensor Value)[] tensors)
    {
        var layout = tensors.Select(t => new TensorSpec(t.Name, TensorDtypeTorch.FromScalarType(t.Value.dtype), t.Value.shape)).ToList();
        using var writer = SafetensorsWriter.Create(new FileCheckpointSink(path), layout);
        foreach (var (name, value) in tensors)
        {
            writer.Write(name, value);
            value.Dispose();
        }

        writer.Commit();
    }
}
