namespace Cki.Compute.Data.Language;

/// <summary>One node of an ONNX graph: its operator, inputs, outputs and the attributes the encoders' reader uses.</summary>
/// <param name="Name">The node's name (may be empty).</param>
/// <param name="OpType">The operator, e.g. <c>MatMul</c>.</param>
/// <param name="Inputs">Input value names.</param>
/// <param name="Outputs">Output value names.</param>
/// <param name="FloatAttributes">Float attributes by name (e.g. LayerNormalization's <c>epsilon</c>).</param>
/// <param name="Value">A <c>Constant</c> node's <c>value</c> tensor, else null.</param>
public sealed record OnnxNode(string Name, string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, float> FloatAttributes, OnnxInitializer? Value);

/// <summary>An ONNX initializer (a constant tensor of the graph): name, element type, shape and its values.</summary>
/// <param name="Name">The initializer's name in the graph.</param>
/// <param name="DataType">ONNX's element type code (1 = float, 6 = int32, 7 = int64).</param>
/// <param name="Shape">The dimensions.</param>
/// <param name="Floats">The values of a float tensor; empty for other types.</param>
public sealed record OnnxInitializer(string Name, int DataType, long[] Shape, float[] Floats)
{
    /// <summary>ONNX's code of 32-bit floats.</summary>
    public const int FloatType = 1;

    /// <summary>The number of elements the shape describes.</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => checked(a * b));
}

/// <summary>The graph of an ONNX model: nodes in order, initializers by name, and the graph's input and output names.</summary>
/// <param name="Nodes">The nodes, in the file's (topological) order.</param>
/// <param name="Initializers">The constant tensors by name.</param>
/// <param name="InputNames">The graph's inputs.</param>
/// <param name="OutputNames">The graph's outputs.</param>
public sealed record OnnxGraph(IReadOnlyList<OnnxNode> Nodes, IReadOnlyDictionary<string, OnnxInitializer> Initializers,
    IReadOnlyList<string> InputNames, IReadOnlyList<string> OutputNames)
{
    /// <summary>The nodes that read value <paramref name="value"/>.</summary>
    public IEnumerable<OnnxNode> Consumers(string value) => Nodes.Where(n => n.Inputs.Contains(value));

    /// <summary>The node that writes value <paramref name="value"/>, or null for graph inputs and initializers.</summary>
    public OnnxNode? Producer(string value) => Nodes.FirstOrDefault(n => n.Outputs.Contains(value));
}
