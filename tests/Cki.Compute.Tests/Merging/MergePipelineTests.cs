using System.Security.Cryptography;
using Cki.Compute.Checkpoints;
using Cki.Compute.Merging;
using Cki.Testing;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Merging;

/// <summary>
/// The merge's pipeline (inputs read side by side, read ahead within a budget, output written behind, inputs hashed
/// in place) against results computed without it: plain TorchSharp ops on tensors read whole, and SHA-256 of the files.
/// </summary>
public sealed class MergePipelineTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    /// <summary>Three models: F32 tensors of two sizes, F16, BF16 (merged) and I64 (copied from model A).</summary>
    private List<string> Models()
    {
        var paths = new List<string>();
        for (var k = 0; k < 3; k++)
        {
            var path = _scratch.File($"m{k}.safetensors");
            using var generator = new Generator((ulong)(10 + k));
            StreamingMergerTests.WriteTensors(path,
                ("big", randn([300, 70], generator: generator)),
                ("half", randn([1000], generator: generator).to_type(ScalarType.Float16)),
                ("steps", tensor(new long[] { 100 + k, 7 })),
                ("brain", randn([33, 3], generator: generator).to_type(ScalarType.BFloat16)),
                ("small", randn([5, 4], generator: generator)),
                ("big2", randn([300, 70], generator: generator)));
            paths.Add(path);
        }

        return paths;
    }

    /// <summary>The mean of the models' tensor computed with plain ops, in float32 for half types and cast back.</summary>
    private static Tensor ReferenceAverage(IReadOnlyList<string> models, string name)
    {
        var tensors = models.Select(m =>
        {
            using var checkpoint = Checkpoint.Open(m, CheckpointLocations.Default);
            return checkpoint.ReadTensor(name);
        }).ToList();
        var type = tensors[0].dtype;
        var sum = tensors[0].to_type(ScalarType.Float32);
        foreach (var t in tensors.Skip(1))
        {
            sum = sum.add(t.to_type(ScalarType.Float32));
        }

        return sum.div(tensors.Count).to_type(type);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(100_000L)] // one input of 'big' fits, not two: a partial read-ahead
    [InlineData(1L << 30)]
    public void Merge_AnyReadAhead_EqualsPlainTorchAverageAndRecordsTheFilesSha256(long readAhead)
    {
        var paths = Models();
        var models = paths.Select(p => Checkpoint.Open(p, CheckpointLocations.Default, hashFiles: true)).ToList();
        MergeResult result;
        try
        {
            result = StreamingMerger.Merge(new MergeRequest
            {
                Models = models, Method = new AverageMethod(), Selected = _ => true,
                Output = MergeOutputLocation.From(_scratch.File("out/merged.safetensors")), ReadAheadBytes = readAhead,
            });
        }
        finally
        {
            models.ForEach(m => m.Dispose());
        }

        using var merged = Checkpoint.Open(result.ModelLocation, CheckpointLocations.Default);
        using var scope = NewDisposeScope();
        foreach (var name in new[] { "big", "half", "brain", "small", "big2" })
        {
            // Bit for bit.
            Assert.Equal(ReferenceAverage(paths, name).bytes.ToArray(), merged.ReadTensor(name).bytes.ToArray());
        }

        Assert.Equal([100L, 7L], merged.ReadTensor("steps").data<long>().ToArray());
        Assert.Equal(paths.Select(p => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(p)))), result.InputDigests.Select(d => d.Sha256));
    }

    [Fact]
    public void Merge_NonFiniteInputReadAhead_FailsNamingTheTensorAndWritesNothing()
    {
        var paths = Models();
        var bad = _scratch.File("bad.safetensors");
        var values = Enumerable.Repeat(1f, 20).ToArray();
        values[13] = float.PositiveInfinity;
        using (var scope = NewDisposeScope())
        {
            using var source = Checkpoint.Open(paths[1], CheckpointLocations.Default);
            StreamingMergerTests.WriteTensors(bad, [.. source.Tensors.Select(s => (s.Name, s.Name == "small" ? tensor(values).reshape(5, 4) : source.ReadTensor(s.Name)))]);
        }

        var models = new[] { paths[0], bad }.Select(p => Checkpoint.Open(p, CheckpointLocations.Default)).ToList();
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => StreamingMerger.Merge(new MergeRequest
            {
                Models = models, Method = new AverageMethod(), Selected = _ => true, Output = MergeOutputLocation.From(_scratch.File("out/merged.safetensors")),
            }));
            Assert.Contains($"{bad}: tensor 'small' holds 1 NaN or infinite value(s)", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            models.ForEach(m => m.Dispose());
        }

        Assert.Empty(Directory.Exists(_scratch.File("out")) ? Directory.GetFiles(_scratch.File("out")) : []);
    }
}
