using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>What a merge method's compatibility map holds for each merged tensor.</summary>
public enum CompatibilityMapKind
{
    /// <summary>No map: the method has no per-model weights (pruning, task arithmetic, TIES).</summary>
    None,

    /// <summary>One weight per model per tensor: <c>[K]</c>.</summary>
    PerTensor,

    /// <summary>One weight per model per element: <c>[K, ...shape]</c>.</summary>
    PerElement,
}

/// <summary>The K versions of one tensor (model A first) and, for methods that need it, the base model's.</summary>
/// <param name="TensorName">The tensor's name.</param>
/// <param name="Thetas">One tensor per model, all of one shape and dtype.</param>
/// <param name="Base">The base model's tensor, for methods with <see cref="IMergeMethod.NeedsBase"/>.</param>
/// <param name="Output">
/// A reusable buffer of the inputs' dtype and shape the method may write its result into and return (saves fresh
/// memory per tensor); null when the caller has none.
/// </param>
public sealed record MergeInput(string TensorName, IReadOnlyList<Tensor> Thetas, Tensor? Base, Tensor? Output = null);

/// <summary>A merged tensor and the weights behind it.</summary>
/// <param name="Merged">The merged tensor, in the inputs' dtype and shape.</param>
/// <param name="Weights">
/// Per-model weights, <c>[K]</c> or <c>[K, ...shape]</c> as <see cref="IMergeMethod.MapKind"/> says; null for
/// <see cref="CompatibilityMapKind.None"/>.
/// </param>
public sealed record MergeOutput(Tensor Merged, Tensor? Weights);

/// <summary>
/// One way of merging the K models' versions of one tensor into one tensor. A merge is a sequence of these
/// per-tensor tasks, so memory holds K inputs and one output at a time, whatever the model's size.
/// </summary>
public interface IMergeMethod
{
    /// <summary>The name users write in a merge config.</summary>
    string Name { get; }

    /// <summary>Whether <see cref="MergeInput.Base"/> must be given.</summary>
    bool NeedsBase => false;

    /// <summary>What the compatibility map holds for this method.</summary>
    CompatibilityMapKind MapKind { get; }

    /// <summary>Merges one tensor. The caller disposes the inputs and the output.</summary>
    MergeOutput Merge(MergeInput input);
}
