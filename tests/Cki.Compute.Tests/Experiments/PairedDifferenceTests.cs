using Cki.Compute.Experiments;

namespace Cki.Compute.Tests.Experiments;

public class PairedDifferenceTests
{
    [Fact]
    public void Of_ThreeSeeds_GivesTheHandComputedTInterval()
    {
        // d = 0.02, 0.03, 0.01: mean 0.02, sd 0.01, se 0.01 / sqrt 3 = 0.0057735, t(0.975, 2) = 4.303, half 0.0248434.
        var d = PairedDifference.Of([0.70, 0.72, 0.71], [0.68, 0.69, 0.70]);
        Assert.Equal(3, d.Seeds);
        Assert.Equal(0.02, d.Mean, 10);
        Assert.Equal(0.02 - 0.0248434, d.Low, 6);
        Assert.Equal(0.02 + 0.0248434, d.High, 6);
        Assert.Equal(3, d.Wins);
        Assert.False(d.Above);
        Assert.False(d.Below);
    }

    [Fact]
    public void Of_FiveSeeds_CountsWinsAndFindsAnIntervalBelowZero()
    {
        // d = -0.01, -0.02, -0.01, -0.02, 0.005: mean -0.011, sd 0.0102470, t(4) = 2.776, half 0.0127212.
        var d = PairedDifference.Of([0.59, 0.58, 0.59, 0.58, 0.605], [0.6, 0.6, 0.6, 0.6, 0.6]);
        Assert.Equal(-0.011, d.Mean, 10);
        Assert.Equal(-0.011 + 0.0127212, d.High, 6);
        Assert.Equal(1, d.Wins);

        var worse = PairedDifference.Of([0.58, 0.58, 0.59, 0.58, 0.58], [0.6, 0.6, 0.6, 0.6, 0.6]);
        Assert.True(worse.Below); // d = -0.02 x4, -0.01: mean -0.018, sd 0.004472, half 0.005552
        Assert.Equal(-0.018 + 0.0055518, worse.High, 6);
    }

    [Fact]
    public void Of_OneSeed_HasNoInterval()
    {
        var d = PairedDifference.Of([0.5], [0.4]);
        Assert.Equal(0.1, d.Mean, 10);
        Assert.True(double.IsNaN(d.Low) && double.IsNaN(d.High));
        Assert.Equal(1, d.Wins);
    }

    [Theory]
    [InlineData(1, 12.706)]
    [InlineData(4, 2.776)]
    [InlineData(30, 2.042)]
    [InlineData(35, 2.042)]
    [InlineData(1000, 1.980)]
    public void TCritical95_ReadsTheTable(int degrees, double expected) => Assert.Equal(expected, PairedDifference.TCritical95(degrees));

    [Fact]
    public void Of_DifferentSeedCounts_Throws() => Assert.Throws<ArgumentException>(() => PairedDifference.Of([0.5, 0.6], [0.5]));
}
