using System.Buffers.Binary;
using Cki.Testing.Builders;

namespace Cki.Host.Tests.Support;

/// <summary>
/// Builds small F32 safetensors files in memory for workflow tests (the host has no tensor library): values come
/// from a seeded generator, so two families with the same seed are identical.
/// </summary>
internal static class SafetensorsFile
{
    /// <summary>A file with tensors of the given shapes; values are seeded uniform in [-1, 1).</summary>
    public static byte[] Build(IReadOnlyList<(string Name, long[] Shape)> tensors, int seed)
    {
        var random = new Random(seed);
        return tensors.Aggregate(new SafetensorsBuilder(), (file, t) => file.F32(t.Name, t.Shape, () => (float)(random.NextDouble() * 2 - 1))).Build();
    }

    /// <summary>The raw bytes of every tensor of a file, by name.</summary>
    public static Dictionary<string, byte[]> Tensors(byte[] file)
    {
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        var header = Contracts.Checkpoints.SafetensorsHeaderParser.Parse("test", file.AsSpan(8, length), file.Length - 8 - length);
        return header.Tensors.ToDictionary(t => t.Name, t => file.AsSpan((int)(8 + length + t.Begin), (int)(t.End - t.Begin)).ToArray());
    }

    /// <summary>A small architecture: a trunk and a head.</summary>
    public static IReadOnlyList<(string Name, long[] Shape)> Layout { get; } =
    [
        ("trunk.0.weight", [32, 16]), ("trunk.0.bias", [32]), ("head.0.weight", [16, 32]), ("head.0.bias", [16]), ("head.1.weight", [1, 16]),
    ];
}
