using Cki.Compute.Checkpoints;
using static TorchSharp.torch;

namespace Cki.Compute.Demo;

/// <summary>
/// A small family of generated checkpoints of one architecture (an embedding, a trunk and a prediction head),
/// one per seed, for demos and benchmarks when no trained models are at hand. The values are random: the
/// family shows the machinery, not a task.
/// </summary>
public static class DemoFamily
{
    /// <summary>The architecture: every tensor's name, dtype and shape.</summary>
    public static IReadOnlyList<TensorSpec> Layout { get; } =
    [
        new("embedding.weight", TensorDtype.F32, [1000, 32]),
        new("trunk.0.weight", TensorDtype.F32, [64, 32]),
        new("trunk.0.bias", TensorDtype.F32, [64]),
        new("head.0.weight", TensorDtype.F32, [128, 64]),
        new("head.0.bias", TensorDtype.F32, [128]),
        new("head.1.weight", TensorDtype.F32, [64, 128]),
        new("head.1.bias", TensorDtype.F32, [64]),
        new("head.2.weight", TensorDtype.F32, [1, 64]),
        new("head.2.bias", TensorDtype.F32, [1]),
        new("trained_steps", TensorDtype.I64, []),
    ];

    /// <summary>Makes the tensor <paramref name="spec"/> of the model with <paramref name="seed"/>.</summary>
    public static Tensor Generate(TensorSpec spec, int seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var generator = new Generator(StableSeed(spec.Name, seed));
        var shape = spec.Shape.ToArray();
        if (!spec.Dtype.IsFloatingPoint())
        {
            return tensor(1000L * (seed + 1)).to_type(spec.Dtype.ToScalarType());
        }

        var fanIn = shape.Length > 1 ? shape[^1] : 1;
        using var scope = NewDisposeScope();
        return randn(shape, generator: generator).mul_(1.0 / Math.Sqrt(fanIn)).to_type(spec.Dtype.ToScalarType()).MoveToOuterDisposeScope();
    }

    // FNV-1a over the name and the seed: the same values on every run and machine, different for every tensor.
    private static ulong StableSeed(string name, int seed)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in $"{seed}/{name}")
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash & 0x7fffffffffffUL;
    }

    /// <summary>Writes the model of <paramref name="seed"/> to <paramref name="folder"/>, sharded when
    /// <paramref name="maxShardBytes"/> is smaller than the model; returns the location to open.</summary>
    public static string Write(string folder, int seed, long maxShardBytes = long.MaxValue, IReadOnlyDictionary<string, string>? metadata = null) =>
        Write(folder, seed, Layout, maxShardBytes, metadata);

    /// <summary>A deeper variant of the architecture: <paramref name="blocks"/> trunk blocks of width <paramref name="width"/> before the head.</summary>
    public static IReadOnlyList<TensorSpec> DeepLayout(int blocks, int width) =>
        [.. Layout.Take(1), .. Enumerable.Range(0, blocks).SelectMany(i => new TensorSpec[]
        {
            new($"blocks.{i}.weight", TensorDtype.F32, [width, width]), new($"blocks.{i}.bias", TensorDtype.F32, [width]),
        }), .. Layout.Skip(1)];

    /// <summary>Writes the model of <paramref name="seed"/> with <paramref name="layout"/>.</summary>
    public static string Write(string folder, int seed, IReadOnlyList<TensorSpec> layout, long maxShardBytes = long.MaxValue,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        using var writer = ShardedCheckpointWriter.Create(folder, layout, maxShardBytes, metadata);
        foreach (var spec in layout)
        {
            using var value = Generate(spec, seed);
            writer.Write(spec.Name, value);
        }

        writer.Commit();
        return writer.Location;
    }
}
