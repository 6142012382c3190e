using static TorchSharp.torch;

namespace Cki.Compute.Statistics;

/// <summary>
/// Walks a tensor in float64 chunks of its finite elements, so statistics of a tensor of any size need one
/// chunk's memory.
/// </summary>
internal static class FiniteChunks
{
    /// <summary>Elements per chunk: the float64 copy of one chunk is 128 MB.</summary>
    public const long ChunkElements = 16L << 20;

    /// <summary>The (start, length) of each chunk of <paramref name="count"/> elements.</summary>
    public static IEnumerable<(long Start, long Length)> Of(long count)
    {
        for (long start = 0; start < count; start += ChunkElements)
        {
            yield return (start, Math.Min(ChunkElements, count - start));
        }
    }

    /// <summary>The finite elements of one chunk of <paramref name="flat"/> as float64 (in the current dispose scope).</summary>
    public static Tensor Finite(Tensor flat, long start, long length, out long nonFinite)
    {
        var values = flat.narrow(0, start, length).to_type(ScalarType.Float64);
        var mask = values.isfinite();
        var finite = mask.sum().item<long>();
        nonFinite = length - finite;
        return nonFinite == 0 ? values : values.masked_select(mask);
    }

    /// <summary>Smallest and largest finite element; (NaN, NaN) when there is none.</summary>
    public static (double Min, double Max) Range(Tensor flat)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var (start, length) in Of(flat.numel()))
        {
            using var scope = NewDisposeScope();
            var values = Finite(flat, start, length, out _);
            if (values.numel() > 0)
            {
                min = Math.Min(min, values.min().item<double>());
                max = Math.Max(max, values.max().item<double>());
            }
        }

        return min <= max ? (min, max) : (double.NaN, double.NaN);
    }
}
