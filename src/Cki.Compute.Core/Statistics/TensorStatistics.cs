using Cki.Compute.Method;
using static TorchSharp.torch;

namespace Cki.Compute.Statistics;

/// <summary>
/// Per-tensor statistics of a checkpoint: what <c>inspect</c> prints and what a profile job reports. Min, max,
/// mean and std are over the finite elements; <see cref="NonFinite"/> counts NaN and infinities; the entropy is
/// the global information content H of docs/method.md over the element count.
/// </summary>
/// <param name="Count">Number of elements.</param>
/// <param name="NonFinite">Elements that are NaN or infinite.</param>
/// <param name="Min">Smallest finite element (NaN when there is none).</param>
/// <param name="Max">Largest finite element (NaN when there is none).</param>
/// <param name="Mean">Mean of the finite elements.</param>
/// <param name="Std">Sample standard deviation (n - 1, as torch.std) of the finite elements.</param>
/// <param name="Entropy">10-bin histogram entropy, natural log.</param>
public sealed record TensorStatistics(long Count, long NonFinite, double Min, double Max, double Mean, double Std, double Entropy)
{
    /// <summary>Elements per chunk (see <see cref="FiniteChunks"/>).</summary>
    internal const long ChunkElements = FiniteChunks.ChunkElements;

    /// <summary>Computes the statistics in two passes over chunks, so memory stays at one float64 chunk.</summary>
    public static TensorStatistics Compute(Tensor tensor, HistogramMode mode = HistogramMode.Reference)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var flat = tensor.reshape(-1);
        var count = flat.numel();
        long finite = 0, nonFinite = 0;
        double min = double.PositiveInfinity, max = double.NegativeInfinity, mean = 0, m2 = 0;
        foreach (var (start, length) in FiniteChunks.Of(count))
        {
            using var scope = NewDisposeScope();
            var values = FiniteChunks.Finite(flat, start, length, out var chunkNonFinite);
            nonFinite += chunkNonFinite;
            var n = values.numel();
            if (n == 0)
            {
                continue;
            }

            min = Math.Min(min, values.min().item<double>());
            max = Math.Max(max, values.max().item<double>());
            var chunkMean = values.mean().item<double>();
            var chunkM2 = values.sub(chunkMean).pow_(2).sum().item<double>();
            // Chan et al.: merge the running (finite, mean, m2) with the chunk's.
            var total = finite + n;
            var delta = chunkMean - mean;
            mean += delta * n / total;
            m2 += chunkM2 + (delta * delta * finite * n / total);
            finite = total;
        }

        if (finite == 0)
        {
            return new TensorStatistics(count, nonFinite, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        // The global term's own histogram pass on this range, so inspect, profile jobs and merges report one entropy.
        var entropy = GlobalInformation.Entropy(flat, min, max, allFinite: nonFinite == 0, mode);
        var std = finite > 1 ? Math.Sqrt(m2 / (finite - 1)) : 0.0;
        return new TensorStatistics(count, nonFinite, min, max, mean, std, entropy);
    }
}
