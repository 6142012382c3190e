using Cki.Contracts.Runs;

namespace Cki.Workflow.Activities;

/// <summary>Each model's share of one layer's spliced elements.</summary>
/// <param name="Layer">The layer (see <see cref="LayerShares.LayerOf"/>).</param>
/// <param name="Elements">The elements of its spliced tensors.</param>
/// <param name="Share">Per model (model A first), the share of those elements taken from that model.</param>
public sealed record LayerShare(string Layer, long Elements, IReadOnlyList<double> Share);

/// <summary>The per-tensor shares of a run's compatibility summary gathered per layer, weighted by each tensor's elements.</summary>
public static class LayerShares
{
    /// <summary>
    /// The layer a tensor belongs to: its name up to the first all-digit part (<c>encoder.layer.3.attention.self.query.weight</c>
    /// -> <c>encoder.layer.3</c>); a name without one loses only its last part (<c>embeddings.word_embeddings.weight</c> ->
    /// <c>embeddings.word_embeddings</c>), and a one-part name is its own layer.
    /// </summary>
    public static string LayerOf(string tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var parts = tensor.Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length > 0 && parts[i].All(char.IsAsciiDigit))
            {
                return string.Join('.', parts[..(i + 1)]);
            }
        }

        return parts.Length > 1 ? string.Join('.', parts[..^1]) : tensor;
    }

    /// <summary>The layers in the order their first tensor appears, each with the element-weighted mean share of each model.</summary>
    public static IReadOnlyList<LayerShare> Of(IReadOnlyList<TensorCompatibility> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var models = tensors.Count == 0 ? 0 : tensors.Max(t => t.Share.Count);
        var layers = new List<(string Layer, long Elements, double[] Taken)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var tensor in tensors)
        {
            var layer = LayerOf(tensor.Tensor);
            if (!index.TryGetValue(layer, out var i))
            {
                i = index[layer] = layers.Count;
                layers.Add((layer, 0, new double[models]));
            }

            var elements = tensor.Shape.Aggregate(1L, (product, size) => product * size);
            for (var k = 0; k < tensor.Share.Count; k++)
            {
                layers[i].Taken[k] += tensor.Share[k] * elements;
            }

            layers[i] = layers[i] with { Elements = layers[i].Elements + elements };
        }

        return layers.Select(l => new LayerShare(l.Layer, l.Elements, l.Taken.Select(t => l.Elements == 0 ? 0 : t / l.Elements).ToList())).ToList();
    }
}
