using System.Globalization;
using Cki.Compute.Tasks.Sentiment;

namespace Cki.Compute.Data.Language;

/// <summary>
/// Turns the graph of an exported BERT encoder into BERT's named tensors. Embeddings, biases and LayerNorm
/// parameters keep their names in the export; the linear weights are anonymous initializers stored transposed
/// ([in, out]) and read by a <c>MatMul</c> whose output an <c>Add</c> joins with a named <c>....bias</c>: that
/// bias names the weight, which is transposed back to BERT's [out, in]. LayerNorm's epsilon is the constant added
/// to the variance before each <c>Sqrt</c>. Tensors outside the common BERT layout (a pooler, position ids) are left out,
/// so two encoders of one architecture give checkpoints of one architecture.
/// </summary>
public static class BertOnnxImport
{
    /// <summary>The named tensors in <paramref name="config"/>'s layout order, and the configuration with the epsilon read from the graph.</summary>
    public static (IReadOnlyList<(string Name, long[] Shape, float[] Values)> Tensors, BertConfig Config) Import(OnnxGraph graph, BertConfig config, string source)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(config);
        var named = new Dictionary<string, (long[] Shape, float[] Values)>(StringComparer.Ordinal);
        foreach (var (name, initializer) in graph.Initializers)
        {
            if (initializer.DataType == OnnxInitializer.FloatType && !name.StartsWith("onnx::", StringComparison.Ordinal) && !name.All(char.IsAsciiDigit))
            {
                named[name] = (initializer.Shape, initializer.Floats);
            }
        }

        foreach (var matMul in graph.Nodes.Where(n => n.OpType == "MatMul"))
        {
            var weight = matMul.Inputs.Select(i => graph.Initializers.GetValueOrDefault(i)).SingleOrDefault(i => i is not null);
            if (weight is null)
            {
                continue; // attention's MatMuls multiply activations
            }

            var bias = graph.Consumers(matMul.Outputs[0]).Where(n => n.OpType == "Add")
                .SelectMany(n => n.Inputs).SingleOrDefault(i => i.EndsWith(".bias", StringComparison.Ordinal) && graph.Initializers.ContainsKey(i))
                ?? throw new OnnxFormatException($"{source}: MatMul '{matMul.Name}' reads initializer '{weight.Name}' but no Add with a named bias follows it.");
            var name = string.Concat(bias.AsSpan(0, bias.Length - ".bias".Length), ".weight");
            if (weight.Shape.Length != 2 || weight.DataType != OnnxInitializer.FloatType)
            {
                throw new OnnxFormatException($"{source}: initializer '{weight.Name}' ({name}) is not a float matrix.");
            }

            if (!named.TryAdd(name, ([weight.Shape[1], weight.Shape[0]], Transpose(weight.Floats, (int)weight.Shape[0], (int)weight.Shape[1]))))
            {
                throw new OnnxFormatException($"{source}: two MatMul weights are named '{name}' by their bias.");
            }
        }

        var resolved = config with { LayerNormEps = Epsilon(graph, source) };
        var tensors = new List<(string, long[], float[])>();
        foreach (var (name, shape) in resolved.TensorLayout())
        {
            if (!named.TryGetValue(name, out var tensor))
            {
                throw new OnnxFormatException($"{source}: no tensor for '{name}' (is it a BERT encoder of hidden size {config.HiddenSize} and {config.Layers} layers?).");
            }

            if (!tensor.Shape.SequenceEqual(shape))
            {
                throw new OnnxFormatException($"{source}: '{name}' is [{string.Join(", ", tensor.Shape)}], BERT's layout needs [{string.Join(", ", shape)}].");
            }

            tensors.Add((name, shape, tensor.Values));
        }

        return (tensors, resolved);
    }

    private static double Epsilon(OnnxGraph graph, string source)
    {
        var constants = graph.Nodes.Where(n => n.OpType == "Constant" && n.Value is { DataType: OnnxInitializer.FloatType, Floats.Length: 1 })
            .ToDictionary(n => n.Outputs[0], n => n.Value!.Floats[0], StringComparer.Ordinal);
        var values = new HashSet<float>();
        foreach (var sqrt in graph.Nodes.Where(n => n.OpType == "Sqrt"))
        {
            if (graph.Producer(sqrt.Inputs[0]) is { OpType: "Add" } add)
            {
                foreach (var input in add.Inputs)
                {
                    if (constants.TryGetValue(input, out var value))
                    {
                        values.Add(value);
                    }
                    else if (graph.Initializers.TryGetValue(input, out var initializer) && initializer.Floats.Length == 1)
                    {
                        values.Add(initializer.Floats[0]);
                    }
                }
            }
        }

        foreach (var norm in graph.Nodes.Where(n => n.OpType == "LayerNormalization"))
        {
            values.Add(norm.FloatAttributes.GetValueOrDefault("epsilon", 1e-5f));
        }

        // The float's shortest decimal form (1E-12), not its binary expansion as a double.
        return values.Count == 1
            ? double.Parse(values.Single().ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
            : throw new OnnxFormatException($"{source}: {values.Count} LayerNorm epsilons found ({string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}); one expected.");
    }

    private static float[] Transpose(float[] values, int rows, int columns)
    {
        var result = new float[values.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                result[(c * rows) + r] = values[(r * columns) + c];
            }
        }

        return result;
    }
}
