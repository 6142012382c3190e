using Cki.Compute.Method;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Method;

public class SplicingTests
{
    [Fact]
    public void Soft_GlobalOnlyWeights_EqualWgAPlusOneMinusWgBComputedIndependently()
    {
        using var a = tensor(new float[] { 1, -2, 3, 0.5f });
        using var b = tensor(new float[] { -1, 4, 3, 2.5f });
        using var weights = CompatibilityWeights.Compute(CompatibilityForm.GlobalOnly, [0.7, 0.3], null, [4]);
        using var spliced = Splicing.Splice(SpliceMode.Soft, [a, b], weights);
        // 0.7 a + 0.3 b by hand: 0.4, -0.2, 3.0, 1.1
        var expected = new[] { 0.4f, -0.2f, 3.0f, 1.1f };
        var actual = spliced.data<float>().ToArray();
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 5);
        }
    }

    [Fact]
    public void Hard_TakesTheLargerWeightAndTiesGoToModelA()
    {
        using var a = tensor(new float[] { 1, 2, 3 });
        using var b = tensor(new float[] { 10, 20, 30 });
        using var weights = tensor(new float[] { 0.6f, 0.5f, 0.4f, 0.4f, 0.5f, 0.6f }).reshape(2, 3);
        using var spliced = Splicing.Splice(SpliceMode.Hard, [a, b], weights);
        Assert.Equal(new float[] { 1, 2, 30 }, spliced.data<float>().ToArray());
    }

    [Fact]
    public void Hard_LinearFormWithLowerEntropyForA_ReturnsModelAUnchanged()
    {
        // H(A) < H(B) gives w_g < 0.5, so w_A = w_g w_l + (1 - w_g) > 0.5 for every w_l in [0, 1].
        using var generator = new Generator(11);
        using var a = randn([6, 7], generator: generator);
        using var b = randn([6, 7], generator: generator);
        var g = GlobalInformation.Weights([1.60, 1.75]);
        Assert.True(g[0] < 0.5);
        using var wl = rand([6, 7], generator: generator);
        using var local = stack([wl, wl.neg().add(1)]);
        using var weights = CompatibilityWeights.Compute(CompatibilityForm.Linear, g, local, [6, 7]);
        using var spliced = Splicing.Splice(SpliceMode.Hard, [a, b], weights);
        Assert.True(spliced.eq(a).all().item<bool>());
    }
}
