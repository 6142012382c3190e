using Cki.Contracts.Manifests;
using static TorchSharp.torch;

namespace Cki.Compute.Method;

/// <summary>
/// The global information term (docs/method.md: global information): one weight per model per tensor from the tensors' histogram
/// entropies, data-free. Two models: <c>w_g = (a/pi) atan(c (H_A - H_B)) + 1/2</c>. K models (our extension):
/// <c>g_k = (a/pi) atan(c (H_k - mean_{j != k} H_j)) + 1/2</c>, which for K = 2 is exactly w_g for A and
/// 1 - w_g for B (atan is odd).
/// </summary>
public static class GlobalInformation
{
    /// <summary>The authors' amplitude a, the default of <see cref="MergeParameters.Amplitude"/>.</summary>
    public static double DefaultAmplitude => MergeParameters.Amplitude.DefaultNumber;

    /// <summary>The authors' steepness c, the default of <see cref="MergeParameters.Steepness"/>.</summary>
    public static double DefaultSteepness => MergeParameters.Steepness.DefaultNumber;

    /// <summary>
    /// H(theta): the entropy of the 10-bin histogram of <paramref name="theta"/>'s finite values over its element
    /// count (two passes over chunks: range, then histogram), computed in the tensor's own precision (float32 for
    /// half types) as the authors' PyTorch code does. The histogram counts on the host: a tensor elsewhere is read on a CPU copy.
    /// </summary>
    public static double Entropy(Tensor theta, HistogramMode mode = HistogramMode.Reference)
    {
        ArgumentNullException.ThrowIfNull(theta);
        using var host = theta.device_type == TorchSharp.DeviceType.CPU ? null : theta.cpu();
        using var flat = (host ?? theta).reshape(-1);
        var work = FiniteChunks.NativeWork(theta.dtype);
        var (min, max, allFinite) = FiniteChunks.Range(flat, work);
        return double.IsNaN(min) ? 0.0 : Entropy(flat, min, max, allFinite, mode);
    }

    /// <summary>
    /// The histogram pass of <see cref="Entropy(Tensor, HistogramMode)"/> for a caller that already has the finite
    /// range of <paramref name="flat"/> (a one-dimensional view): the same bins and arithmetic, so the same value.
    /// </summary>
    internal static double Entropy(Tensor flat, double min, double max, bool allFinite, HistogramMode mode)
    {
        var work = FiniteChunks.NativeWork(flat.dtype);
        var histogram = new EntropyHistogram(min, max, mode);
        foreach (var (start, length) in FiniteChunks.Of(flat.numel()))
        {
            using var scope = NewDisposeScope();
            histogram.Add(allFinite ? flat.narrow(0, start, length).to_type(work) : FiniteChunks.Finite(flat, start, length, out _, work));
        }

        return histogram.Entropy(flat.numel());
    }

    /// <summary>
    /// g_k for every model from the entropies <paramref name="entropies"/> (one per model, model A first).
    /// Each lies in (1/2 - a/2, 1/2 + a/2).
    /// </summary>
    public static double[] Weights(IReadOnlyList<double> entropies, double? amplitude = null, double? steepness = null)
    {
        ArgumentNullException.ThrowIfNull(entropies);
        var a = amplitude ?? DefaultAmplitude;
        var c = steepness ?? DefaultSteepness;
        if (entropies.Count < 2)
        {
            throw new ArgumentException($"Integration needs at least 2 models; got {entropies.Count}.", nameof(entropies));
        }

        var sum = entropies.Sum();
        var weights = new double[entropies.Count];
        for (var k = 0; k < weights.Length; k++)
        {
            // For K = 2 the mean of the others is the other model's entropy itself: no rounding from a division.
            var others = entropies.Count == 2 ? entropies[1 - k] : (sum - entropies[k]) / (entropies.Count - 1);
            weights[k] = (a / Math.PI * Math.Atan(c * (entropies[k] - others))) + 0.5;
        }

        return weights;
    }
}
