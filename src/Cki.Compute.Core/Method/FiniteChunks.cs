using static TorchSharp.torch;

namespace Cki.Compute.Method;

/// <summary>
/// Walks a tensor in float64 chunks of its finite elements, so statistics of a tensor of any size need one
/// chunk's memory.
/// </summary>
internal static class FiniteChunks
{
    /// <summary>The type statistics of <paramref name="type"/> are computed in when speed matters more than the last bit: float64 stays, the rest is float32.</summary>
    public static ScalarType NativeWork(ScalarType type) => type == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;

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

    /// <summary>
    /// The finite elements of one chunk of <paramref name="flat"/> as <paramref name="work"/> (float64 by default;
    /// no copy when the tensor already has that type), in the current dispose scope.
    /// </summary>
    public static Tensor Finite(Tensor flat, long start, long length, out long nonFinite, ScalarType work = ScalarType.Float64)
    {
        var values = flat.narrow(0, start, length).to_type(work);
        // A finite sum means every element is finite (one cheap pass); only otherwise find the non-finite ones.
        if (double.IsFinite(values.sum().to_type(ScalarType.Float64).item<double>()))
        {
            nonFinite = 0;
            return values;
        }

        var mask = values.isfinite();
        var finite = mask.sum().item<long>();
        nonFinite = length - finite;
        return nonFinite == 0 ? values : values.masked_select(mask);
    }

    /// <summary>
    /// Smallest and largest finite element, (NaN, NaN) when there is none, and whether every element is finite.
    /// A chunk whose own min and max are finite has no NaN or infinity (both would show there), so the common case
    /// costs one min/max pass and no mask.
    /// </summary>
    public static (double Min, double Max, bool AllFinite) Range(Tensor flat, ScalarType work = ScalarType.Float64)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        var allFinite = true;
        foreach (var (start, length) in Of(flat.numel()))
        {
            using var scope = NewDisposeScope();
            var values = flat.narrow(0, start, length).to_type(work);
            var (low, high) = values.aminmax();
            var (lo, hi) = (low.to_type(ScalarType.Float64).item<double>(), high.to_type(ScalarType.Float64).item<double>());
            if (!double.IsFinite(lo) || !double.IsFinite(hi))
            {
                allFinite = false;
                values = Finite(flat, start, length, out _, work);
                if (values.numel() == 0)
                {
                    continue;
                }

                (low, high) = values.aminmax();
                (lo, hi) = (low.to_type(ScalarType.Float64).item<double>(), high.to_type(ScalarType.Float64).item<double>());
            }

            min = Math.Min(min, lo);
            max = Math.Max(max, hi);
        }

        return min <= max ? (min, max, allFinite) : (double.NaN, double.NaN, allFinite);
    }
}
