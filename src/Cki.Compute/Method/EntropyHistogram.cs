using static TorchSharp.torch;

namespace Cki.Compute.Method;

/// <summary>
/// The 10-bin equal-width histogram behind the global information content H(theta) (METHOD.md (a2)), filled
/// chunk by chunk so a tensor of any size needs only one chunk in memory. Bin i (1-based) is
/// <c>[min + (i-1)s, min + i s)</c> with <c>s = (max - min) / 10</c>; the top edge is the maximum itself, so in
/// <see cref="HistogramMode.Reference"/> the maximum falls in no bin exactly as the authors' code has it.
/// </summary>
public sealed class EntropyHistogram : IDisposable
{
    /// <summary>Number of bins.</summary>
    public const int Bins = 10;

    private readonly HistogramMode _mode;
    private readonly long[] _counts = new long[Bins];
    private readonly Tensor? _edges;

    /// <summary>A histogram over [<paramref name="min"/>, <paramref name="max"/>] (finite values).</summary>
    public EntropyHistogram(double min, double max, HistogramMode mode)
    {
        _mode = mode;
        if (max > min)
        {
            var step = (max - min) / Bins;
            var edges = new double[Bins + 1];
            for (var i = 0; i < Bins; i++)
            {
                edges[i] = min + (i * step);
            }

            edges[Bins] = max;
            _edges = tensor(edges, ScalarType.Float64).DetachFromDisposeScope();
        }
    }

    /// <summary>Elements counted so far, bin by bin.</summary>
    public IReadOnlyList<long> Counts => _counts;

    /// <summary>Counts the elements of <paramref name="chunk"/> (float64, one dimension) into the bins.</summary>
    public void Add(Tensor chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (_edges is null || chunk.numel() == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        // right: true gives i with edges[i-1] <= x < edges[i]: bins 1..10; x == max gives 11; x < min or NaN give 0 or 11.
        var index = bucketize(chunk, _edges, false, true);
        var finite = chunk.isfinite();
        var counts = index.masked_select(finite).bincount(null, Bins + 2).data<long>().ToArray();
        for (var i = 0; i < Bins; i++)
        {
            _counts[i] += counts[i + 1];
        }

        if (_mode == HistogramMode.Closed)
        {
            _counts[Bins - 1] += counts[Bins + 1];
        }
    }

    /// <summary>
    /// Shannon entropy (natural log) of the counts divided by <paramref name="elementCount"/>, the tensor's
    /// element count; empty bins add nothing; 0 when every value is equal.
    /// </summary>
    public double Entropy(long elementCount)
    {
        if (_edges is null || elementCount == 0)
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

    /// <inheritdoc />
    public void Dispose() => _edges?.Dispose();
}
