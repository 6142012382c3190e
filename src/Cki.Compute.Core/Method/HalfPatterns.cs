using System.Runtime.InteropServices;
using Cki.Compute.Checkpoints;
using static TorchSharp.torch;

namespace Cki.Compute.Method;

/// <summary>
/// The entropy of a BF16 or F16 tensor in one pass over its bits: a 16-bit tensor has at most 65,536 distinct
/// values, so counting each bit pattern gives the finite range and, with each pattern binned once in float32,
/// the same histogram as binning every element; no float32 conversion per element.
/// </summary>
internal static class HalfPatterns
{
    private const int Patterns = 1 << 16;

    /// <summary>Whether <paramref name="flat"/> is counted by pattern: a BF16 or F16 tensor on the CPU.</summary>
    public static bool Applies(Tensor flat) =>
        flat.device_type == TorchSharp.DeviceType.CPU && Float32Chunks.IsHalf(flat.dtype);

    /// <summary>H of <paramref name="flat"/> (one dimension, BF16 or F16, CPU) as <see cref="GlobalInformation.Entropy(Tensor, HistogramMode)"/> defines it.</summary>
    public static double Entropy(Tensor flat, HistogramMode mode)
    {
        var counts = Count(flat);
        var values = new float[Patterns];
        var widened = Enumerable.Range(0, Patterns).Select(p => (ushort)p).ToArray();
        if (flat.dtype == ScalarType.BFloat16)
        {
            HalfBits.WidenBf16(widened, values);
        }
        else
        {
            HalfBits.WidenF16(MemoryMarshal.Cast<ushort, Half>(widened.AsSpan()), values);
        }

        // Only the finite patterns that occur take part, as only finite elements do element by element.
        var present = Enumerable.Range(0, Patterns).Where(p => counts[p] > 0 && float.IsFinite(values[p])).ToArray();
        if (present.Length == 0)
        {
            return 0.0;
        }

        var min = present.Min(p => values[p]);
        var max = present.Max(p => values[p]);
        var histogram = new EntropyHistogram(min, max, mode);
        histogram.Add(present.Select(p => values[p]).ToArray(), present.Select(p => counts[p]).ToArray());
        return histogram.Entropy(flat.numel());
    }

    /// <summary>How many elements have each bit pattern.</summary>
    private static long[] Count(Tensor flat)
    {
        var counts = new long[Patterns];
        // In chunks: a span over more than 2 GB cannot be made.
        var perChunk = SafetensorsReader.ChunkBytes / 2;
        for (long start = 0; start < flat.numel(); start += perChunk)
        {
            using var chunk = flat.narrow(0, start, Math.Min(perChunk, flat.numel() - start));
            foreach (var bits in MemoryMarshal.Cast<byte, ushort>(chunk.bytes))
            {
                counts[bits]++;
            }
        }

        return counts;
    }
}
