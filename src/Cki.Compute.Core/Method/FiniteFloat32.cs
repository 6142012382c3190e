using System.Numerics;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Cki.Compute.Method;

/// <summary>
/// The finite values of a tensor computed in float32, over <see cref="Float32Chunks"/> (reused buffers, no tensor
/// per chunk): their range, and each chunk's finite values for a histogram. The same values as converting the
/// tensor to float32 and masking, so the same entropy.
/// </summary>
internal static class FiniteFloat32
{
    private static readonly Vector<float> Infinity = new(float.PositiveInfinity);

    /// <summary>Smallest and largest finite element, (NaN, NaN) when there is none, and whether every element is finite.</summary>
    public static (double Min, double Max, bool AllFinite) Range(Tensor flat)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        var allFinite = true;
        Float32Chunks.ForEach([flat], (_, length, chunks) =>
        {
            var values = chunks[0].AsSpan(0, length);
            var whole = length / Vector<float>.Count;
            Vector<float> low = Infinity, high = -Infinity;
            foreach (var v in MemoryMarshal.Cast<float, Vector<float>>(values[..(whole * Vector<float>.Count)]))
            {
                // NaN fails the comparison too, so a vector passes only when all its lanes are finite.
                if (Vector.LessThanAll(Vector.Abs(v), Infinity))
                {
                    low = Vector.Min(low, v);
                    high = Vector.Max(high, v);
                }
                else
                {
                    allFinite &= Scalar(MemoryMarshal.Cast<Vector<float>, float>(new ReadOnlySpan<Vector<float>>(in v)), ref min, ref max);
                }
            }

            allFinite &= Scalar(values[(whole * Vector<float>.Count)..], ref min, ref max);
            for (var lane = 0; lane < Vector<float>.Count; lane++)
            {
                min = Math.Min(min, low[lane]);
                max = Math.Max(max, high[lane]);
            }
        });
        return min <= max ? (min, max, allFinite) : (double.NaN, double.NaN, allFinite);
    }

    /// <summary>
    /// The finite values of <paramref name="values"/>: the span itself when <paramref name="allFinite"/>, else its
    /// finite values moved to its front, in order.
    /// </summary>
    public static Span<float> Finite(Span<float> values, bool allFinite)
    {
        if (allFinite)
        {
            return values;
        }

        var kept = 0;
        foreach (var x in values)
        {
            if (float.IsFinite(x))
            {
                values[kept++] = x;
            }
        }

        return values[..kept];
    }

    /// <summary>Folds the finite values into the range; whether all were finite.</summary>
    private static bool Scalar(ReadOnlySpan<float> values, ref float min, ref float max)
    {
        var allFinite = true;
        foreach (var x in values)
        {
            if (float.IsFinite(x))
            {
                min = Math.Min(min, x);
                max = Math.Max(max, x);
            }
            else
            {
                allFinite = false;
            }
        }

        return allFinite;
    }
}
