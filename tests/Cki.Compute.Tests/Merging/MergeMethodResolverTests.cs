using Cki.Compute.Config;
using Cki.Compute.Merging;
using Cki.Contracts.Manifests;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Merging;

public class MergeMethodResolverTests
{
    private static MergeConfig Config(MergeOptions options) => new() { Models = ["a", "b"], Merge = options };

    [Fact]
    public void Implemented_IsEveryDescribedMethod() =>
        Assert.Equal(MergeMethods.Names.Order(StringComparer.Ordinal), MergeMethodResolver.Implemented.Select(m => m.Name).Order(StringComparer.Ordinal));

    [Fact]
    public void Resolve_EveryDataFreeMethod_HasTheNameItWasAskedFor()
    {
        foreach (var name in MergeMethods.DataFreeNames)
        {
            var (method, onlyThese) = MergeMethodResolver.Resolve(Config(new MergeOptions { Method = name, Base = "base" }));
            Assert.Equal((name, true), (method.Name, onlyThese is null));
        }
    }

    [Fact]
    public void Resolve_LearnedMethodWithoutWeights_SaysWhatIsMissing() =>
        Assert.Contains("assessment's weights", Assert.Throws<InvalidOperationException>(() => MergeMethodResolver.Resolve(Config(new MergeOptions()))).Message, StringComparison.Ordinal);

    [Fact]
    public void Selection_HeadWithoutATask_IsAConfigError() =>
        Assert.Throws<ConfigException>(() => MergeMethodResolver.Selection(Config(new MergeOptions { Tensors = TensorSelection.Head }), () => null));

    [Fact]
    public void Selection_Patterns_MatchWholeNames()
    {
        var selected = MergeMethodResolver.Selection(Config(new MergeOptions { Tensors = TensorSelection.FromPatterns(["head.*.weight"]) }), () => null);
        Assert.Equal([true, false, false], new[] { "head.0.weight", "head.0.bias", "x.head.0.weight" }.Select(selected));
    }

    [Fact]
    public void Ties_WithEverythingKeptAndAgreeingSigns_EqualsTaskArithmeticAtHalfScale()
    {
        // Task vectors (1, 2, -1) and (3, 2, -3) agree in sign everywhere; TIES at density 1 averages them: (2, 2, -2).
        // Task arithmetic at lambda 0.5 gives base + 0.5 * (4, 4, -4): the same.
        using var baseTheta = tensor(new float[] { 1, 1, 1 });
        using var a = tensor(new float[] { 2, 3, 0 });
        using var b = tensor(new float[] { 4, 3, -2 });
        var input = new MergeInput("t", [a, b], baseTheta);
        using var ties = MergeMethodResolver.Resolve(Config(new MergeOptions { Method = "ties", Base = "x", Density = 1, Lambda = 1 })).Method.Merge(input).Merged;
        using var arithmetic = MergeMethodResolver.Resolve(Config(new MergeOptions { Method = "task-arithmetic", Base = "x", Lambda = 0.5 })).Method.Merge(input).Merged;
        Assert.Equal(new float[] { 3, 3, -1 }, ties.data<float>().ToArray());
        Assert.Equal(new float[] { 3, 3, -1 }, arithmetic.data<float>().ToArray());
    }

    [Fact]
    public void Pruning_ReferenceIsSignedAndMagnitudeIsNot()
    {
        using var a = tensor(new float[] { 0.5f, -0.5f, 0.01f, -0.01f });
        var input = new MergeInput("t", [a, a], null);
        using var reference = MergeMethodResolver.Resolve(Config(new MergeOptions { Method = "prune-reference" })).Method.Merge(input).Merged;
        using var magnitude = MergeMethodResolver.Resolve(Config(new MergeOptions { Method = "prune-magnitude" })).Method.Merge(input).Merged;
        Assert.Equal(new float[] { 0.5f, 0, 0, 0 }, reference.data<float>().ToArray());
        Assert.Equal(new float[] { 0.5f, -0.5f, 0, 0 }, magnitude.data<float>().ToArray());
    }
}
