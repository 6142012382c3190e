using Cki.Compute.Method;
using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>
/// Splices with per-element weights computed beforehand, by the learned assessment (<c>cki</c>,
/// <c>local-only</c>): the merge applies them tensor by tensor like any other method.
/// </summary>
public sealed class WeightedSpliceMethod(string name, SpliceMode splice, IReadOnlyDictionary<string, Tensor> weights) : IMergeMethod
{
    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public CompatibilityMapKind MapKind => CompatibilityMapKind.PerElement;

    /// <inheritdoc />
    public MergeOutput Merge(MergeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!weights.TryGetValue(input.TensorName, out var w))
        {
            throw new InvalidOperationException($"The assessment produced no weights for tensor '{input.TensorName}'.");
        }

        return new MergeOutput(Splicing.Splice(splice, input.Thetas, w), w.to_type(ScalarType.Float32, copy: true));
    }
}
