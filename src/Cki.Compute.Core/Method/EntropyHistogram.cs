using System.Numerics;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Cki.Compute.Method;

/// <summary>
/// The 10-bin equal-width histogram behind the global information content H(theta) (docs/method.md: global information), filled
/// chunk by chunk so a tensor of any size needs only one chunk in memory. Bin i (1-based) is
/// <c>[min + (i-1)s, min + i s)</c> with <c>s = (max - min) / 10</c>: an element's bin is
/// <c>floor((x - min) / s)</c> in the tensor's precision, one arithmetic pass. The scale is nudged so the maximum
/// lands exactly on the top edge: in <see cref="HistogramMode.Reference"/> it falls in no bin, exactly as the
/// authors' code has it; in <see cref="HistogramMode.Closed"/> it is counted in the last bin.
/// </summary>
public sealed class EntropyHistogram
{
    /// <summary>Number of bins.</summary>
    public const int Bins = 10;

    private readonly double _min;
    private readonly double _scale64;
    private readonly float _scale32;
    private readonly bool _spread;
    private readonly HistogramMode _mode;
    private readonly long[] _counts = new long[Bins];

    /// <summary>A histogram over [<paramref name="min"/>, <paramref name="max"/>] (finite values).</summary>
    public EntropyHistogram(double min, double max, HistogramMode mode)
    {
        _min = min;
        _mode = mode;
        _spread = max > min;
        if (_spread)
        {
            _scale64 = Bins / (max - min);
            while ((max - min) * _scale64 < Bins)
            {
                _scale64 = Math.BitIncrement(_scale64);
            }

            var range32 = (float)max - (float)min;
            _scale32 = (float)(Bins / (max - min));
            while (range32 * _scale32 < Bins)
            {
                _scale32 = MathF.BitIncrement(_scale32);
            }
        }
    }

    /// <summary>Elements counted so far, bin by bin.</summary>
    public IReadOnlyList<long> Counts => _counts;

    /// <summary>Counts the finite elements of <paramref name="chunk"/> (float32 or float64, one dimension) into the bins.</summary>
    public void Add(Tensor chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (!_spread || chunk.numel() == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        // One pass in C# over the chunk's memory: several times faster than the chain of tensor ops it replaces,
        // with the same float arithmetic ((x - min) * scale, then floor). Index 10 is the top edge: the maximum.
        var counts = new long[Bins + 1];
        if (chunk.dtype == ScalarType.Float64)
        {
            Count(MemoryMarshal.Cast<byte, double>(chunk.contiguous().bytes), _min, _scale64, counts);
        }
        else
        {
            Count(MemoryMarshal.Cast<byte, float>(chunk.to_type(ScalarType.Float32).contiguous().bytes), (float)_min, _scale32, counts);
        }

        Accumulate(counts);
    }

    /// <summary>Counts finite float32 values (a chunk of a tensor computed in float32) into the bins.</summary>
    internal void Add(ReadOnlySpan<float> values)
    {
        if (!_spread || values.IsEmpty)
        {
            return;
        }

        var counts = new long[Bins + 1];
        Count(values, (float)_min, _scale32, counts);
        Accumulate(counts);
    }

    private void Accumulate(long[] counts)
    {
        for (var i = 0; i < Bins; i++)
        {
            _counts[i] += counts[i];
        }

        if (_mode == HistogramMode.Closed)
        {
            _counts[Bins - 1] += counts[Bins];
        }
    }

    // Large chunks are counted in parallel halves (two cores here); each half keeps its own counts.
    private const int ParallelThreshold = 1 << 20;

    private static unsafe void Count<T>(ReadOnlySpan<T> values, T min, T scale, long[] counts)
        where T : unmanaged, IFloatingPoint<T>
    {
        fixed (T* start = values)
        {
            var p = (IntPtr)start;
            Split(values.Length, (from, to, local) => CountRange((T*)p, from, to, min, scale, local), counts);
        }
    }

    // The hot loop, with everything in parameters so the JIT keeps it in registers.
    private static unsafe void CountRange<T>(T* values, int from, int to, T min, T scale, long[] counts)
        where T : unmanaged, IFloatingPoint<T>
    {
        // Four interleaved sub-histograms: runs of elements in one bin would otherwise wait on each other's
        // increment of the same counter.
        const int Lanes = 4;
        Span<long> lanes = stackalloc long[Lanes * (Bins + 1)];
        for (var i = from; i < to; i++)
        {
            var bin = Bin(values[i], min, scale);
            lanes[((i & (Lanes - 1)) * (Bins + 1)) + bin]++;
        }

        for (var lane = 0; lane < Lanes; lane++)
        {
            for (var b = 0; b <= Bins; b++)
            {
                counts[b] += lanes[(lane * (Bins + 1)) + b];
            }
        }
    }

    /// <summary>An element's bin, 0 to <see cref="Bins"/> (the top edge): <c>floor((x - min) * scale)</c> in the element's precision.</summary>
    private static int Bin<T>(T x, T min, T scale)
        where T : IFloatingPoint<T> => Math.Clamp(int.CreateSaturating((x - min) * scale), 0, Bins);

    /// <summary>
    /// Counts <paramref name="counts"/>[i] copies of the finite float32 value <paramref name="values"/>[i] into the bins:
    /// a 16-bit tensor counted by bit pattern first, each pattern binned once, with the same arithmetic as element by element.
    /// </summary>
    internal void Add(ReadOnlySpan<float> values, ReadOnlySpan<long> counts)
    {
        if (!_spread)
        {
            return;
        }

        var binned = new long[Bins + 1];
        for (var i = 0; i < values.Length; i++)
        {
            binned[Bin(values[i], (float)_min, _scale32)] += counts[i];
        }

        Accumulate(binned);
    }

    private static void Split(int n, Action<int, int, long[]> count, long[] counts)
    {
        var parts = n < ParallelThreshold ? 1 : Math.Max(1, Environment.ProcessorCount);
        var partial = new long[parts][];
        Parallel.For(0, parts, part =>
        {
            partial[part] = new long[Bins + 1];
            count((int)((long)n * part / parts), (int)((long)n * (part + 1) / parts), partial[part]);
        });
        foreach (var local in partial)
        {
            for (var i = 0; i <= Bins; i++)
            {
                counts[i] += local[i];
            }
        }
    }

    /// <summary>
    /// Shannon entropy (natural log) of the counts divided by <paramref name="elementCount"/>, the tensor's
    /// element count; empty bins add nothing; 0 when every value is equal.
    /// </summary>
    public double Entropy(long elementCount)
    {
        if (!_spread || elementCount == 0)
        {
            return 0.0;
        }

        var h = 0.0;
        foreach (var count in _counts)
        {
            if (count > 0)
            {
                var p = (double)count / elementCount;
                h -= p * Math.Log(p);
            }
        }

        return h;
    }
}
