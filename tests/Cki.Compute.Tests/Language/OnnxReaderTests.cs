using Cki.Compute.Data.Language;

namespace Cki.Compute.Tests.Language;

/// <summary>The ONNX reader on models written byte by byte here (protobuf wire format, onnx.proto's field numbers).</summary>
public sealed class OnnxReaderTests
{
    [Fact]
    public void Read_HandWrittenModel_GivesNodesInitializerAndConstant()
    {
        var graph = OnnxReader.Read(Model(), "hand.onnx");
        var node = Assert.Single(graph.Nodes, n => n.OpType == "MatMul");
        Assert.Equal(["x", "w"], node.Inputs);
        Assert.Equal(["y"], node.Outputs);
        var w = graph.Initializers["w"];
        Assert.Equal([2L, 3L], w.Shape);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], w.Floats);
        var constant = Assert.Single(graph.Nodes, n => n.OpType == "Constant");
        Assert.Equal(1e-12f, Assert.Single(constant.Value!.Floats));
        Assert.Equal(["x"], graph.InputNames);
    }

    [Fact]
    public void Read_Truncated_NamesTheSourceAndPlace()
    {
        var bytes = Model();
        var error = Assert.Throws<OnnxFormatException>(() => OnnxReader.Read(bytes.AsSpan(0, bytes.Length - 5), "cut.onnx"));
        Assert.StartsWith("cut.onnx", error.Message, StringComparison.Ordinal);
        Assert.Contains("runs past the end", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RawDataOfWrongSize_NamesTheInitializer()
    {
        var tensor = Concat(Varint(1, 2), Varint(1, 3), Varint(2, 1), Bytes(8, "w"u8.ToArray()), Bytes(9, new byte[20]));
        var bytes = Bytes(7, Bytes(5, tensor));
        var error = Assert.Throws<OnnxFormatException>(() => OnnxReader.Read(bytes, "bad.onnx"));
        Assert.Contains("'w': raw_data has 20 bytes, shape [2, 3] needs 24", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoGraph_SaysSo()
    {
        var error = Assert.Throws<OnnxFormatException>(() => OnnxReader.Read(Varint(1, 7), "empty.onnx"));
        Assert.Equal("empty.onnx: no graph (not an ONNX model?).", error.Message);
    }

    private static byte[] Model()
    {
        var raw = new[] { 1f, 2f, 3f, 4f, 5f, 6f }.SelectMany(BitConverter.GetBytes).ToArray();
        var initializer = Concat(Varint(1, 2), Varint(1, 3), Varint(2, 1), Bytes(8, "w"u8.ToArray()), Bytes(9, raw));
        var matMul = Concat(Bytes(1, "x"u8.ToArray()), Bytes(1, "w"u8.ToArray()), Bytes(2, "y"u8.ToArray()), Bytes(4, "MatMul"u8.ToArray()));
        var epsilon = Concat(Varint(2, 1), Bytes(9, BitConverter.GetBytes(1e-12f)));
        var attribute = Concat(Bytes(1, "value"u8.ToArray()), Bytes(5, epsilon));
        var constant = Concat(Bytes(2, "eps"u8.ToArray()), Bytes(4, "Constant"u8.ToArray()), Bytes(5, attribute));
        var graph = Concat(Bytes(1, matMul), Bytes(1, constant), Bytes(5, initializer), Bytes(11, Bytes(1, "x"u8.ToArray())));
        return Concat(Varint(1, 8), Bytes(2, "hand"u8.ToArray()), Bytes(7, graph));
    }

    private static byte[] Varint(int field, ulong value) => Concat(Raw((ulong)(field << 3)), Raw(value));

    private static byte[] Bytes(int field, byte[] payload) => Concat(Raw((ulong)((field << 3) | 2)), Raw((ulong)payload.Length), payload);

    private static byte[] Raw(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
