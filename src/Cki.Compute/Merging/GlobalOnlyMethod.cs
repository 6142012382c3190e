using Cki.Compute.Method;
using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>
/// CKI's data-free mode (METHOD.md, ablation <c>global-only</c>): per tensor, the global information weights
/// g_k from the histogram entropies, normalised (<c>w_k = g_k / sum_j g_j</c>), then soft or hard splicing.
/// Needs no data and no forward pass, so it works on any architecture.
/// </summary>
public sealed class GlobalOnlyMethod(SpliceMode splice, HistogramMode histogram, double amplitude, double steepness) : IMergeMethod
{
    /// <inheritdoc />
    public string Name => "global-only";

    /// <inheritdoc />
    public CompatibilityMapKind MapKind => CompatibilityMapKind.PerTensor;

    /// <inheritdoc />
    public MergeOutput Merge(MergeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var thetas = input.Thetas;
        var g = GlobalInformation.Weights(thetas.Select(t => GlobalInformation.Entropy(t, histogram)).ToList(), amplitude, steepness);
        using var scope = NewDisposeScope();
        var perElement = CompatibilityWeights.Compute(CompatibilityForm.GlobalOnly, g, null, thetas[0].shape);
        var merged = Splicing.Splice(splice, thetas, perElement);
        var sum = g.Sum();
        var weights = tensor(g.Select(v => (float)(v / sum)).ToArray());
        return new MergeOutput(merged.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }
}
