using System.Buffers.Binary;
using System.Text.Json;

namespace Cki.Testing.Builders;

/// <summary>
/// The bytes of a small safetensors file of F32 tensors, written by hand per the format (the 8-byte little-endian
/// length of the header, the compact JSON header, the data), so that tests of projects that must not ship TorchSharp
/// can write checkpoints. Tensors are laid out in the order they are added.
/// </summary>
/// <example><c>new SafetensorsBuilder().F32("w", [4], 1).Build()</c> is the header length 55, then
/// <c>{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}</c>, then four 1.0f.</example>
public sealed class SafetensorsBuilder
{
    private readonly List<(string Name, long[] Shape, Func<float> Next)> _tensors = [];

    /// <summary>Adds an F32 tensor whose values are all <paramref name="value"/>.</summary>
    public SafetensorsBuilder F32(string name, long[] shape, float value) => F32(name, shape, () => value);

    /// <summary>Adds an F32 tensor whose values <paramref name="next"/> gives one after another, when the file is built.</summary>
    public SafetensorsBuilder F32(string name, long[] shape, Func<float> next)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(next);
        _tensors.Add((name, shape, next));
        return this;
    }

    /// <summary>The file's bytes.</summary>
    public byte[] Build()
    {
        var header = new MemoryStream();
        var data = new MemoryStream();
        var value = new byte[sizeof(float)];
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            foreach (var (name, shape, next) in _tensors)
            {
                var begin = data.Length;
                for (var i = shape.Aggregate(1L, (a, b) => a * b); i > 0; i--)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(value, next());
                    data.Write(value);
                }

                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (var size in shape)
                {
                    json.WriteNumberValue(size);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(begin);
                json.WriteNumberValue(data.Length);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.ToArray().CopyTo(file, 8);
        data.ToArray().CopyTo(file, 8 + header.Length);
        return file;
    }
}
