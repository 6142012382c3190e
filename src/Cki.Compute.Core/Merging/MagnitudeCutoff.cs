using System.Runtime.InteropServices;
using Cki.Compute.Method;
using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>
/// The k-th largest |theta - base| of one task vector, found exactly without holding the vector: a non-negative
/// float32's bit pattern orders like its value, so a two-pass radix select (the top 16 bits, then the low 16 bits
/// inside the chosen bucket) over float32 chunks finds the same value <c>kthvalue</c> would, in 512 KB of counters.
/// </summary>
internal static class MagnitudeCutoff
{
    private const int Buckets = 1 << 16;

    /// <summary>
    /// The magnitude of rank <paramref name="rank"/> (1 = smallest) of <c>|theta - baseTheta|</c> in float32; NaN sorts last.
    /// </summary>
    public static float Smallest(Tensor theta, Tensor baseTheta, long rank)
    {
        var high = new long[Buckets];
        Count(theta, baseTheta, high, top: null);
        var (top, before) = Find(high, rank);
        var low = new long[Buckets];
        Count(theta, baseTheta, low, top);
        var (bottom, _) = Find(low, rank - before);
        return BitConverter.UInt32BitsToSingle((top << 16) | bottom);
    }

    /// <summary>Counts the top 16 bits of every magnitude (<paramref name="top"/> null), or the low 16 bits of those whose top bits are <paramref name="top"/>.</summary>
    private static void Count(Tensor theta, Tensor baseTheta, long[] counts, uint? top) =>
        Float32Chunks.ForEach([theta, baseTheta], (_, _, chunks) =>
        {
            using var magnitude = chunks[0].sub(chunks[1]).abs_();
            var values = MemoryMarshal.Cast<byte, uint>(magnitude.bytes);
            if (top is not { } wanted)
            {
                foreach (var bits in values)
                {
                    counts[bits >> 16]++;
                }

                return;
            }

            foreach (var bits in values)
            {
                if (bits >> 16 == wanted)
                {
                    counts[bits & 0xFFFF]++;
                }
            }
        });

    /// <summary>The bucket holding the element of 1-based <paramref name="rank"/>, and how many elements come before it.</summary>
    private static (uint Bucket, long Before) Find(long[] counts, long rank)
    {
        long before = 0;
        for (var b = 0; b < counts.Length; b++)
        {
            if (before + counts[b] >= rank)
            {
                return ((uint)b, before);
            }

            before += counts[b];
        }

        throw new InvalidOperationException($"Rank {rank} is past the {before} elements counted.");
    }
}
