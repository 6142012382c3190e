using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using Cki.Compute.Method;
using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>
/// The k-th largest |theta - base| of each task vector, found exactly without holding the vectors: a non-negative
/// float32's bit pattern orders like its value, so a two-pass radix select (the top 16 bits, then the low 16 bits
/// inside the chosen bucket) over float32 chunks finds the same value <c>kthvalue</c> would, in 512 KB of counters
/// per model. Each pass reads the K models and the base once.
/// </summary>
internal static class MagnitudeCutoff
{
    private const int Buckets = 1 << 16;

    /// <summary>
    /// For each of <paramref name="thetas"/>, the magnitude of rank <paramref name="rank"/> (1 = smallest) of
    /// <c>|theta - baseTheta|</c> in float32; NaN sorts last.
    /// </summary>
    public static float[] Smallest(IReadOnlyList<Tensor> thetas, Tensor baseTheta, long rank)
    {
        var models = thetas.Count;
        var high = Enumerable.Range(0, models).Select(_ => new long[Buckets]).ToArray();
        Count(thetas, baseTheta, high, tops: null);
        var found = high.Select(counts => Find(counts, rank)).ToArray();
        var low = Enumerable.Range(0, models).Select(_ => new long[Buckets]).ToArray();
        Count(thetas, baseTheta, low, found.Select(f => f.Bucket).ToArray());
        return found.Select((f, k) => BitConverter.UInt32BitsToSingle((f.Bucket << 16) | Find(low[k], rank - f.Before).Bucket)).ToArray();
    }

    /// <summary>
    /// Counts, per model, the top 16 bits of every magnitude (<paramref name="tops"/> null), or the low 16 bits of
    /// those whose top bits are the model's entry in <paramref name="tops"/>. A large tensor is counted in halves on
    /// two cores, each into counters of its own: counting is the bulk of TIES's work and its order does not matter.
    /// </summary>
    private static void Count(IReadOnlyList<Tensor> thetas, Tensor baseTheta, long[][] counts, uint[]? tops)
    {
        var flats = thetas.Append(baseTheta).Select(t => t.contiguous().view(-1)).ToList();
        try
        {
            var n = flats[0].numel();
            var parts = Float32Chunks.Parts(n);
            var partial = new long[parts][][];
            Parallel.For(0, parts, part =>
            {
                var from = n * part / parts;
                var views = flats.Select(f => f.narrow(0, from, (n * (part + 1) / parts) - from)).ToList();
                // Counters reused through the pool (cleared here): fresh ones would be page-faulted in for every tensor.
                partial[part] = counts.Select(_ => ArrayPool<long>.Shared.Rent(Buckets)).ToArray();
                Array.ForEach(partial[part], c => Array.Clear(c, 0, Buckets));
                CountPart(views, partial[part], tops);
                views.ForEach(v => v.Dispose());
            });
            foreach (var local in partial)
            {
                for (var k = 0; k < counts.Length; k++)
                {
                    for (var b = 0; b < Buckets; b++)
                    {
                        counts[k][b] += local[k][b];
                    }

                    ArrayPool<long>.Shared.Return(local[k]);
                }
            }
        }
        finally
        {
            flats.ForEach(f => f.Dispose());
        }
    }

    /// <summary>The counting of <see cref="Count"/> over one part: the K models' elements, then the base's, in <paramref name="inputs"/>.</summary>
    private static void CountPart(IReadOnlyList<Tensor> inputs, long[][] counts, uint[]? tops) =>
        Float32Chunks.ForEach(inputs, (_, length, chunks) =>
        {
            var padded = Float32Chunks.Padded(length);
            var b = MemoryMarshal.Cast<float, Vector<float>>(chunks[^1].AsSpan(0, padded));
            for (var k = 0; k < counts.Length; k++)
            {
                // |theta - base| in place, then its bit patterns.
                var magnitude = MemoryMarshal.Cast<float, Vector<float>>(chunks[k].AsSpan(0, padded));
                for (var v = 0; v < magnitude.Length; v++)
                {
                    magnitude[v] = Vector.Abs(magnitude[v] - b[v]);
                }

                var bits = MemoryMarshal.Cast<float, uint>(chunks[k].AsSpan(0, length));
                if (tops is null)
                {
                    CountHigh(bits, counts[k]);
                }
                else
                {
                    CountLow(bits, tops[k], counts[k]);
                }
            }
        });

    private static void CountHigh(ReadOnlySpan<uint> bits, long[] counts)
    {
        foreach (var b in bits)
        {
            counts[b >> 16]++;
        }
    }

    private static void CountLow(ReadOnlySpan<uint> bits, uint top, long[] counts)
    {
        foreach (var b in bits)
        {
            if (b >> 16 == top)
            {
                counts[b & 0xFFFF]++;
            }
        }
    }

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
