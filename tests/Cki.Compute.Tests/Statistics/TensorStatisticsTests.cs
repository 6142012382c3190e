using Cki.Compute.Method;
using Cki.Compute.Statistics;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Statistics;

public class TensorStatisticsTests
{
    [Fact]
    public void Entropy_ZeroToNineReference_MaxFallsInNoBin()
    {
        // Bins of width 0.9 hold 0, 1, ..., 8 once each; 9 (the max) is in no bin: H = -9 * 0.1 ln 0.1 = 0.9 ln 10.
        using var values = arange(10, ScalarType.Float32);
        var stats = TensorStatistics.Compute(values);
        Assert.Equal(0.9 * Math.Log(10), stats.Entropy, 10);
        Assert.Equal(2.0723, stats.Entropy, 4);
    }

    [Fact]
    public void Entropy_ZeroToNineClosed_CountsMaxInLastBin()
    {
        using var values = arange(10, ScalarType.Float32);
        Assert.Equal(Math.Log(10), TensorStatistics.Compute(values, HistogramMode.Closed).Entropy, 10);
    }

    [Fact]
    public void Entropy_ZeroZeroOne_HandChecked()
    {
        // Reference: {0, 0} in bin 1, the max 1 in no bin: H = -(2/3) ln(2/3) = 0.2703.
        // Closed: bins hold 2 and 1: H = -(2/3) ln(2/3) - (1/3) ln(1/3) = 0.6365.
        using var values = tensor(new float[] { 0, 0, 1 });
        Assert.Equal(0.2703, TensorStatistics.Compute(values).Entropy, 4);
        Assert.Equal(0.6365, TensorStatistics.Compute(values, HistogramMode.Closed).Entropy, 4);
    }

    [Fact]
    public void Entropy_AllEqual_IsZero()
    {
        using var values = full(100, 0.25f);
        Assert.Equal(0.0, TensorStatistics.Compute(values).Entropy);
    }

    [Fact]
    public void Compute_OneToFour_HandCheckedMoments()
    {
        using var values = tensor(new double[] { 1, 2, 3, 4 });
        var stats = TensorStatistics.Compute(values);
        Assert.Equal((4L, 0L, 1.0, 4.0, 2.5), (stats.Count, stats.NonFinite, stats.Min, stats.Max, stats.Mean));
        Assert.Equal(Math.Sqrt(5.0 / 3.0), stats.Std, 12);
    }

    [Fact]
    public void Compute_NonFiniteElements_AreCountedAndLeftOutOfMoments()
    {
        using var values = tensor(new float[] { 1, float.NaN, 3, float.PositiveInfinity, float.NegativeInfinity });
        var stats = TensorStatistics.Compute(values);
        Assert.Equal(3, stats.NonFinite);
        Assert.Equal((1.0, 3.0, 2.0), (stats.Min, stats.Max, stats.Mean));
        // Two finite values, 1 in bin 1 and the max in no bin, over N = 5 elements: H = -0.2 ln 0.2.
        Assert.Equal(-0.2 * Math.Log(0.2), stats.Entropy, 10);
    }

    [Fact]
    public void Compute_TensorSpanningSeveralChunks_AgreesWithTorch()
    {
        using var generator = new TorchSharp.torch.Generator(42);
        using var values = randn([TensorStatistics.ChunkElements * 2 + 12345], generator: generator).mul_(3).add_(1);
        var stats = TensorStatistics.Compute(values);
        using var asDouble = values.to_type(ScalarType.Float64);
        Assert.Equal(asDouble.mean().item<double>(), stats.Mean, 9);
        Assert.Equal(asDouble.std().item<double>(), stats.Std, 9);
        Assert.Equal(asDouble.min().item<double>(), stats.Min);
        Assert.Equal(asDouble.max().item<double>(), stats.Max);
        // Independent histogram: each element's bin from floor((x - min) / s), the max excluded.
        var min = stats.Min;
        var step = (stats.Max - min) / 10;
        using var bins = asDouble.sub(min).div(step).floor().clamp(0, 10).to_type(ScalarType.Int64);
        var counts = bins.bincount(null, 11).data<long>().ToArray();
        counts[9] += counts[10] - 1; // floor() puts values within rounding of the top edge at 10; only the max is excluded
        var expected = counts.Take(10).Where(c => c > 0).Sum(c => -((double)c / values.numel()) * Math.Log((double)c / values.numel()));
        Assert.Equal(expected, stats.Entropy, 6);
    }
}
