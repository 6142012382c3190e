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
        // The K entropies are independent: compute them side by side.
        var entropies = new double[thetas.Count];
        Parallel.For(0, thetas.Count, k => entropies[k] = GlobalInformation.Entropy(thetas[k], histogram));
        var g = GlobalInformation.Weights(entropies, amplitude, steepness);
        // w_k = g_k / sum_j g_j: the global-only form of CompatibilityWeights, one scalar per model.
        var sum = g.Sum();
        var normalised = g.Select(v => v / sum).ToArray();
        var merged = Splicing.SpliceScalar(splice, thetas, normalised, input.Output);
        return new MergeOutput(merged, tensor(normalised.Select(v => (float)v).ToArray()));
    }
}
