using Cki.Compute.Method;

namespace Cki.Compute.Tests.Method;

public class GlobalInformationTests
{
    [Fact]
    public void Weights_TwoModels_MatchTheAuthorsFormula()
    {
        // dH = 0.001: w_g = (0.4 / pi) atan(0.5) + 0.5 = 0.5 + 0.127324 * 0.463648 = 0.559033
        var w = GlobalInformation.Weights([2.001, 2.000]);
        Assert.Equal(0.559033, w[0], 6);
        Assert.Equal(1 - w[0], w[1], 15);
    }

    [Fact]
    public void Weights_LargeEntropyGap_SaturatesNearPointThreeAndPointSeven()
    {
        var w = GlobalInformation.Weights([1.0, 2.0]);
        Assert.InRange(w[0], 0.3, 0.3003);
        Assert.InRange(w[1], 0.6997, 0.7);
    }

    [Fact]
    public void Weights_KModels_ReduceExactlyToTwoModelsWhenKIsTwo()
    {
        double hA = 1.7342, hB = 1.7391;
        var expected = (0.4 / Math.PI * Math.Atan(500 * (hA - hB))) + 0.5;
        var w = GlobalInformation.Weights([hA, hB]);
        Assert.Equal(expected, w[0]);
        Assert.Equal(1 - expected, w[1], 15);
    }

    [Fact]
    public void Weights_FourModels_CompareEachWithTheMeanOfTheOthers()
    {
        double[] h = [1.0, 1.0, 1.0, 1.003];
        var w = GlobalInformation.Weights(h);
        Assert.Equal((0.4 / Math.PI * Math.Atan(500 * -0.001)) + 0.5, w[0], 12);
        Assert.Equal((0.4 / Math.PI * Math.Atan(500 * 0.003)) + 0.5, w[3], 12);
    }

    [Fact]
    public void Weights_OneModel_IsAClearError() =>
        Assert.Contains("at least 2", Assert.Throws<ArgumentException>(() => GlobalInformation.Weights([1.0])).Message, StringComparison.Ordinal);
}
