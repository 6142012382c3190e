using System.Runtime.InteropServices;

namespace Cki.Compute.Data.Language;

/// <summary>
/// Reads the parts of an ONNX model (a protobuf <c>ModelProto</c>) that the encoders' fetcher needs, with our own
/// wire-format reader: the graph's nodes, initializers (float tensors in <c>raw_data</c> or <c>float_data</c>;
/// other types keep their shape only) and input/output names. Field numbers are those of onnx.proto.
/// </summary>
public static class OnnxReader
{
    /// <summary>The largest model read (the encoders here are about 90 MB).</summary>
    public const long MaxBytes = 1L << 30;

    /// <summary>Reads the ONNX file at <paramref name="path"/>.</summary>
    public static OnnxGraph ReadFile(string path)
    {
        var length = new FileInfo(path).Length;
        if (length > MaxBytes)
        {
            throw new OnnxFormatException($"{path}: {length} bytes is over the {MaxBytes} bytes an ONNX model may have here.");
        }

        return Read(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads a model from <paramref name="bytes"/>; <paramref name="source"/> names it in errors.</summary>
    public static OnnxGraph Read(ReadOnlySpan<byte> bytes, string source)
    {
        var model = new ProtoWireReader(bytes, source);
        OnnxGraph? graph = null;
        while (!model.AtEnd)
        {
            var (field, wire) = model.ReadTag();
            if (field == 7 && wire == 2)
            {
                var (offset, count) = model.ReadLengthDelimited();
                graph = ReadGraph(bytes.Slice(offset, count), $"{source} graph");
            }
            else
            {
                model.Skip(wire);
            }
        }

        return graph ?? throw new OnnxFormatException($"{source}: no graph (not an ONNX model?).");
    }

    private static OnnxGraph ReadGraph(ReadOnlySpan<byte> bytes, string source)
    {
        var reader = new ProtoWireReader(bytes, source);
        var nodes = new List<OnnxNode>();
        var initializers = new Dictionary<string, OnnxInitializer>(StringComparer.Ordinal);
        var inputs = new List<string>();
        var outputs = new List<string>();
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            if (wire != 2 || field is not (1 or 5 or 11 or 12))
            {
                reader.Skip(wire);
                continue;
            }

            var (offset, count) = reader.ReadLengthDelimited();
            var part = bytes.Slice(offset, count);
            switch (field)
            {
                case 1: nodes.Add(ReadNode(part, $"{source} node {nodes.Count}")); break;
                case 5:
                    var tensor = ReadTensor(part, $"{source} initializer {initializers.Count}");
                    if (!initializers.TryAdd(tensor.Name, tensor))
                    {
                        throw new OnnxFormatException($"{source}: initializer '{tensor.Name}' appears twice.");
                    }

                    break;
                case 11: inputs.Add(ReadValueInfoName(part, source)); break;
                default: outputs.Add(ReadValueInfoName(part, source)); break;
            }
        }

        return new OnnxGraph(nodes, initializers, inputs, outputs);
    }

    private static OnnxNode ReadNode(ReadOnlySpan<byte> bytes, string source)
    {
        var reader = new ProtoWireReader(bytes, source);
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new Dictionary<string, float>(StringComparer.Ordinal);
        string name = string.Empty, op = string.Empty;
        OnnxInitializer? value = null;
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            switch (field, wire)
            {
                case (1, 2): inputs.Add(reader.ReadString()); break;
                case (2, 2): outputs.Add(reader.ReadString()); break;
                case (3, 2): name = reader.ReadString(); break;
                case (4, 2): op = reader.ReadString(); break;
                case (5, 2):
                    var (offset, count) = reader.ReadLengthDelimited();
                    var attribute = ReadAttribute(bytes.Slice(offset, count), source);
                    if (attribute.Float is { } f)
                    {
                        attributes[attribute.Name] = f;
                    }

                    if (attribute.Name == "value" && attribute.Tensor is not null)
                    {
                        value = attribute.Tensor;
                    }

                    break;
                default: reader.Skip(wire); break;
            }
        }

        return new OnnxNode(name, op, inputs, outputs, attributes, value);
    }

    private static (string Name, float? Float, OnnxInitializer? Tensor) ReadAttribute(ReadOnlySpan<byte> bytes, string source)
    {
        var reader = new ProtoWireReader(bytes, $"{source} attribute");
        var name = string.Empty;
        float? value = null;
        OnnxInitializer? tensor = null;
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            switch (field, wire)
            {
                case (1, 2): name = reader.ReadString(); break;
                case (2, 5): value = BitConverter.UInt32BitsToSingle(reader.ReadFixed32()); break;
                case (5, 2):
                    var (offset, count) = reader.ReadLengthDelimited();
                    tensor = ReadTensor(bytes.Slice(offset, count), $"{source} attribute '{name}'");
                    break;
                default: reader.Skip(wire); break;
            }
        }

        return (name, value, tensor);
    }

    private static string ReadValueInfoName(ReadOnlySpan<byte> bytes, string source)
    {
        var reader = new ProtoWireReader(bytes, $"{source} value info");
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == 2)
            {
                return reader.ReadString();
            }

            reader.Skip(wire);
        }

        throw new OnnxFormatException($"{source}: a graph input or output has no name.");
    }

    private static OnnxInitializer ReadTensor(ReadOnlySpan<byte> bytes, string source)
    {
        var reader = new ProtoWireReader(bytes, source);
        var shape = new List<long>();
        var dataType = 0;
        var name = string.Empty;
        ReadOnlySpan<byte> raw = default;
        var floats = new List<float>();
        var external = false;
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            switch (field, wire)
            {
                case (1, 0): shape.Add((long)reader.ReadVarint()); break;
                case (1, 2):
                    var (dimsAt, dimsLength) = reader.ReadLengthDelimited();
                    var dims = new ProtoWireReader(bytes.Slice(dimsAt, dimsLength), $"{source} dims");
                    while (!dims.AtEnd)
                    {
                        shape.Add((long)dims.ReadVarint());
                    }

                    break;
                case (2, 0): dataType = (int)reader.ReadVarint(); break;
                case (4, 5): floats.Add(BitConverter.UInt32BitsToSingle(reader.ReadFixed32())); break;
                case (4, 2):
                    var (floatsAt, floatsLength) = reader.ReadLengthDelimited();
                    if (floatsLength % 4 != 0)
                    {
                        throw new OnnxFormatException($"{source} '{name}': packed float_data of {floatsLength} bytes is not a whole number of floats.");
                    }

                    floats.AddRange(MemoryMarshal.Cast<byte, float>(bytes.Slice(floatsAt, floatsLength)).ToArray());
                    break;
                case (8, 2): name = reader.ReadString(); break;
                case (9, 2):
                    var (rawAt, rawLength) = reader.ReadLengthDelimited();
                    raw = bytes.Slice(rawAt, rawLength);
                    break;
                case (14, 0): external = reader.ReadVarint() == 1; break;
                default: reader.Skip(wire); break;
            }
        }

        var label = name.Length > 0 ? $"{source} '{name}'" : source;
        if (external)
        {
            throw new OnnxFormatException($"{label}: data stored in an external file is not supported.");
        }

        if (shape.Any(d => d < 0 || d > int.MaxValue))
        {
            throw new OnnxFormatException($"{label}: invalid dimension in [{string.Join(", ", shape)}].");
        }

        var result = new OnnxInitializer(name, dataType, [.. shape], []);
        if (dataType != OnnxInitializer.FloatType)
        {
            return result;
        }

        long expected;
        try
        {
            expected = result.ElementCount;
        }
        catch (OverflowException)
        {
            throw new OnnxFormatException($"{label}: shape [{string.Join(", ", shape)}] has too many elements.");
        }

        if (!raw.IsEmpty)
        {
            if (raw.Length != expected * 4)
            {
                throw new OnnxFormatException($"{label}: raw_data has {raw.Length} bytes, shape [{string.Join(", ", shape)}] needs {expected * 4}.");
            }

            return result with { Floats = MemoryMarshal.Cast<byte, float>(raw).ToArray() };
        }

        if (floats.Count != expected)
        {
            throw new OnnxFormatException($"{label}: {floats.Count} float values, shape [{string.Join(", ", shape)}] needs {expected}.");
        }

        return result with { Floats = [.. floats] };
    }
}
