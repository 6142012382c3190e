using System.Buffers.Binary;
using System.Text;

namespace Cki.Host.Tools.Soak;

/// <summary>
/// The soak's inputs, made as a producer would upload them: tiny F32 safetensors files with seeded values, and the
/// kinds of bad file a tester throws at the workflow (a truncated file, a model without tensors).
/// </summary>
public static class SoakCheckpoints
{
    /// <summary>The family manifest every soak family uses: data-free, one splice shard.</summary>
    public const string Manifest = "task: none\nsources: [a, b]\nshards: 1\n";

    /// <summary>A two-tensor model whose values come from <paramref name="seed"/>.</summary>
    public static byte[] Model(int seed) => Build([("layer.weight", [8, 8]), ("layer.bias", [8])], seed);

    /// <summary>A valid file with no tensors at all.</summary>
    public static byte[] Empty() => Build([], 0);

    /// <summary>A model cut off in the middle of its data.</summary>
    public static byte[] Truncated(int seed)
    {
        var whole = Model(seed);
        return whole[..(whole.Length - 40)];
    }

    private static byte[] Build(IReadOnlyList<(string Name, long[] Shape)> tensors, int seed)
    {
        var random = new Random(seed);
        var header = new StringBuilder("{");
        var data = new List<byte>();
        foreach (var (name, shape) in tensors)
        {
            var begin = data.Count;
            var count = shape.Aggregate(1L, (a, b) => a * b);
            var value = new byte[4];
            for (var i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(value, (float)(random.NextDouble() * 2 - 1));
                data.AddRange(value);
            }

            header.Append(header.Length > 1 ? "," : "").Append('"').Append(name).Append("\":{\"dtype\":\"F32\",\"shape\":[")
                .AppendJoin(',', shape).Append("],\"data_offsets\":[").Append(begin).Append(',').Append(data.Count).Append("]}");
        }

        var json = Encoding.UTF8.GetBytes(header.Append('}').ToString());
        var file = new byte[8 + json.Length + data.Count];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        data.CopyTo(file, 8 + json.Length);
        return file;
    }
}
