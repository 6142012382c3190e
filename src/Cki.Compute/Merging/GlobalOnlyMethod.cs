using Cki.Compute.Method;
using Cki.Compute.Statistics;
using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>
/// CKI's data-free mode (METHOD.md, ablation <c>global-only</c>): per tensor, the global information weights
/// g_k from the histogram entropies, normalised, then soft or hard splicing. Works on any architecture.
/// </summary>
public sealed class GlobalOnlyMethod(SpliceMode splice = SpliceMode.Soft, HistogramMode histogram = HistogramMode.Reference,
    double amplitude = GlobalInformation.DefaultAmplitude, double steepness = GlobalInformation.DefaultSteepness) : IMergeMethod
{
    /// <inheritdoc />
    public string Name => "global-only";

    /// <inheritdoc />
    public (Tensor Merged, double[]? ModelWeights) Merge(string tensorName, IReadOnlyList<Tensor> thetas)
    {
        ArgumentNullException.ThrowIfNull(thetas);
        var entropies = thetas.Select(t => TensorStatistics.Compute(t, histogram).Entropy).ToList();
        var g = GlobalInformation.Weights(entropies, amplitude, steepness);
        using var weights = CompatibilityWeights.Compute(CompatibilityForm.GlobalOnly, g, null, thetas[0].shape);
        var normalised = g.Select(v => v / g.Sum()).ToArray();
        return (Splicing.Splice(splice, thetas, weights), normalised);
    }
}
