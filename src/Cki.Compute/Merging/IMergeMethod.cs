using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>
/// One way of merging the K models' versions of one tensor into one tensor (a merge is a sequence of these
/// per-tensor tasks, so memory holds K inputs and one output at a time).
/// </summary>
public interface IMergeMethod
{
    /// <summary>The name users write in a merge config.</summary>
    string Name { get; }

    /// <summary>
    /// Merges <paramref name="thetas"/> (model A first, all of one shape and dtype) into a new tensor, and returns
    /// the per-model weights used (one scalar per model, or null when the method has none).
    /// </summary>
    (Tensor Merged, double[]? ModelWeights) Merge(string tensorName, IReadOnlyList<Tensor> thetas);
}
