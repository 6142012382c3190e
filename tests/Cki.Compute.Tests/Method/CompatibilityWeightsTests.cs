using Cki.Compute.Method;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Method;

public class CompatibilityWeightsTests
{
    private static double ExpSoftmaxA(double wg, double wl)
    {
        using var local = tensor(new double[] { wl, 1 - wl }).reshape(2, 1);
        using var weights = CompatibilityWeights.Compute(CompatibilityForm.ExpSoftmax, [wg, 1 - wg], local, [1]);
        return weights[0, 0].item<double>();
    }

    [Theory]
    [InlineData(0.3, 0.0, 0.4128)]
    [InlineData(0.5, 0.0, 0.4510)]
    [InlineData(0.7, 0.0, 0.4806)]
    [InlineData(0.3, 1.0, 0.5194)]
    [InlineData(0.5, 1.0, 0.5490)]
    [InlineData(0.7, 1.0, 0.5872)]
    public void ExpSoftmax_HandCheckedWeightOfModelA(double wg, double wl, double expected) =>
        Assert.Equal(expected, ExpSoftmaxA(wg, wl), 4);

    [Fact]
    public void ExpSoftmax_KModelsWithKTwo_EqualsTheTwoModelFormula()
    {
        // F2 written out for two models, computed without the K-model code path.
        double wg = 0.62, wl = 0.37;
        var sA = wg * (1 - Math.Exp(-wg * wl));
        var sB = (1 - wg) * (1 - Math.Exp(-(1 - wg) * (1 - wl)));
        var expected = Math.Exp(sA) / (Math.Exp(sA) + Math.Exp(sB));
        Assert.Equal(expected, ExpSoftmaxA(wg, wl), 12);
    }

    [Fact]
    public void Linear_HandChecked_AndModelAKeepsAtLeastOneMinusWg()
    {
        using var local = tensor(new double[] { 0.0, 0.5, 1.0, 1.0, 0.5, 0.0 }).reshape(2, 3);
        using var weights = CompatibilityWeights.Compute(CompatibilityForm.Linear, [0.3, 0.7], local, [3]);
        // w_A = 0.3 w_l + 0.7
        Assert.Equal(new[] { 0.7, 0.85, 1.0 }, weights[0].data<double>().ToArray().Select(v => Math.Round(v, 12)));
        Assert.Equal(new[] { 0.3, 0.15, 0.0 }, weights[1].data<double>().ToArray().Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void Linear_MoreThanTwoModels_IsAClearError()
    {
        using var local = full(3, 2, 1.0 / 3, ScalarType.Float64);
        var error = Assert.Throws<ArgumentException>(() => CompatibilityWeights.Compute(CompatibilityForm.Linear, [0.5, 0.5, 0.5], local, [2]));
        Assert.Contains("two models only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GlobalOnly_TwoModels_IsWgForEveryElement()
    {
        using var weights = CompatibilityWeights.Compute(CompatibilityForm.GlobalOnly, [0.64, 0.36], null, [2, 2]);
        Assert.Equal([2, 2, 2], weights.shape);
        Assert.All(weights[0].data<float>().ToArray(), v => Assert.Equal(0.64f, v, 6));
        Assert.All(weights[1].data<float>().ToArray(), v => Assert.Equal(0.36f, v, 6));
    }

    [Fact]
    public void LocalOnly_TwoModels_IsWl()
    {
        using var local = tensor(new double[] { 0.2, 0.9, 0.8, 0.1 }).reshape(2, 2);
        using var weights = CompatibilityWeights.Compute(CompatibilityForm.LocalOnly, [0.5, 0.5], local, [2]);
        Assert.Equal(new[] { 0.2, 0.9 }, weights[0].data<double>().ToArray().Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void EveryForm_WeightsSumToOnePerElement()
    {
        using var generator = new Generator(3);
        using var la = rand([4, 5], ScalarType.Float64, generator: generator);
        using var local = stack([la, la.neg().add(1)]);
        foreach (var form in Enum.GetValues<CompatibilityForm>())
        {
            using var weights = CompatibilityWeights.Compute(form, [0.41, 0.59], local, [4, 5]);
            using var sum = weights.sum(0L).to_type(ScalarType.Float64);
            Assert.True(sum.sub(1).abs().max().item<double>() < 1e-6, form.ToString());
        }
    }
}
