using Cki.Compute.Checkpoints;
using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>
/// Merges checkpoints tensor by tensor: reads the K versions of one tensor, merges the selected ones with the
/// method (the rest come from model A), writes the result and lets go of them before the next tensor, so memory
/// holds K inputs and one output whatever the model's size.
/// </summary>
public static class StreamingMerger
{
    /// <summary>Per-model weights of each merged tensor, model A first (the per-tensor compatibility summary).</summary>
    public sealed record Result(string Location, IReadOnlyDictionary<string, double[]?> Weights);

    /// <summary>
    /// Merges <paramref name="models"/> (model A first) into <paramref name="outputFolder"/>; tensors for which
    /// <paramref name="selected"/> is false, and non-floating-point tensors, are copied from model A.
    /// </summary>
    public static Result Merge(IReadOnlyList<Checkpoint> models, IMergeMethod method, Func<string, bool> selected, string outputFolder,
        IReadOnlyDictionary<string, string> metadata, long maxShardBytes = long.MaxValue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(selected);
        if (models.Count < 2)
        {
            throw new ArgumentException($"A merge needs at least 2 models; got {models.Count}.", nameof(models));
        }

        ArchitectureCheck.Ensure(models.Select(m => (m.Location, m.Tensors)).ToList());
        var layout = models[0].Tensors;
        var weights = new Dictionary<string, double[]?>(StringComparer.Ordinal);
        using var writer = ShardedCheckpointWriter.Create(outputFolder, layout, maxShardBytes, metadata);
        foreach (var spec in layout)
        {
            using var scope = NewDisposeScope();
            if (!spec.Dtype.IsFloatingPoint() || !selected(spec.Name))
            {
                writer.Write(spec.Name, models[0].ReadTensor(spec.Name, cancellationToken), cancellationToken);
                continue;
            }

            var thetas = models.Select(m => m.ReadTensor(spec.Name, cancellationToken)).ToList();
            var (merged, modelWeights) = method.Merge(spec.Name, thetas);
            writer.Write(spec.Name, merged, cancellationToken);
            weights[spec.Name] = modelWeights;
        }

        writer.Commit(cancellationToken);
        return new Result(writer.Location, weights);
    }
}
