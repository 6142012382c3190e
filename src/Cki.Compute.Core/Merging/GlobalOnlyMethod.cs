using Cki.Contracts.Manifests;
using Cki.Compute.Method;
using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>
/// CKI's data-free mode (docs/method.md, ablation <c>global-only</c>): per tensor, the global information weights
/// g_k from the histogram entropies, normalised (<c>w_k = g_k / sum_j g_j</c>), then soft or hard splicing.
/// Needs no data and no forward pass, so it works on any architecture.
/// </summary>
/// <remarks>
/// <paramref name="entropies"/> gives the K entropies of tensors already profiled (a workflow's profile jobs, which
/// use the same <see cref="GlobalInformation.Entropy(TorchSharp.torch.Tensor, HistogramMode)"/>); other tensors get theirs computed here.
/// </remarks>
public sealed class GlobalOnlyMethod(SpliceMode splice, HistogramMode histogram, double amplitude, double steepness,
    IReadOnlyDictionary<string, double[]>? entropies = null) : IMergeMethod
{
    /// <inheritdoc />
    public string Name => MergeMethods.GlobalOnly.Name;

    /// <inheritdoc />
    public CompatibilityMapKind MapKind => CompatibilityMapKind.PerTensor;

    /// <inheritdoc />
    public MergeOutput Merge(MergeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var thetas = input.Thetas;
        double[] h;
        if (entropies is not null && entropies.TryGetValue(input.TensorName, out var known) && known.Length == thetas.Count)
        {
            h = known;
        }
        else
        {
            // The K entropies are independent: compute them side by side.
            h = new double[thetas.Count];
            Parallel.For(0, thetas.Count, k => h[k] = GlobalInformation.Entropy(thetas[k], histogram));
        }

        var g = GlobalInformation.Weights(h, amplitude, steepness);
        // w_k = g_k / sum_j g_j: the global-only form of CompatibilityWeights, one scalar per model.
        var sum = g.Sum();
        var normalised = g.Select(v => v / sum).ToArray();
        var merged = Splicing.SpliceScalar(splice, thetas, normalised, input.Output);
        return new MergeOutput(merged, tensor(normalised.Select(v => (float)v).ToArray()));
    }
}
