using Cki.Contracts.Manifests;

namespace Cki.Contracts.Tests.Manifests;

public sealed class MergeMethodsTests
{
    [Fact]
    public void All_NamesAreUniqueAndLearnedMethodsComeFirst()
    {
        Assert.Equal(MergeMethods.Names.Count, MergeMethods.Names.Distinct().Count());
        Assert.Equal(["cki", "local-only"], MergeMethods.All.TakeWhile(m => m.NeedsData).Select(m => m.Name));
        Assert.DoesNotContain(MergeMethods.All.SkipWhile(m => m.NeedsData), m => m.NeedsData);
    }

    [Fact]
    public void NeedsBase_OnlyTheTaskVectorMethods() =>
        Assert.Equal(["task-arithmetic", "ties"], MergeMethods.All.Where(m => m.NeedsBase).Select(m => m.Name));

    [Fact]
    public void Parameters_EveryOneIsDeclaredOnceInTheCatalogue() =>
        Assert.All(MergeMethods.All.SelectMany(m => m.Parameters), p => Assert.Same(p, Assert.Single(MergeParameters.All, q => q.Name == p.Name)));

    [Fact]
    public void Defaults_AreTheAuthorsValuesAndEveryDefaultIsAcceptedByItsOwnRange()
    {
        // a = 0.4 and c = 500 are the values of the CKI paper's code (docs/method.md, global term).
        var options = new MergeOptions();
        Assert.Equal((0.4, 500.0, 0.02, 1.0, 0.2), (options.A, options.C, options.Threshold, options.Lambda, options.Density));
        Assert.All(MergeParameters.All.Where(p => p.Kind == MergeParameterKind.Number), p => Assert.True(p.Range.Contains(p.DefaultNumber), p.Name));
        Assert.All(MergeParameters.All.Where(p => p.Kind == MergeParameterKind.Choice), p => Assert.Contains(p.Default!, p.Choices));
    }

    [Fact]
    public void DeclaredParameters_AreTheMethodsOwnAsWritten()
    {
        var options = new MergeOptions { Method = "ties", Base = "checkpoints/f/base.safetensors", Density = 0.5 };
        Assert.Equal(
            new Dictionary<string, string?> { ["base"] = "checkpoints/f/base.safetensors", ["lambda"] = "1", ["density"] = "0.5" },
            options.DeclaredParameters());
    }

    [Fact]
    public void Value_OfDefaultOptions_IsEveryParametersDeclaredDefault() =>
        Assert.All(MergeParameters.All.Where(p => !p.Required), p => Assert.True(p.IsDefault(new MergeOptions().Value(p)!), p.Name));

    [Fact]
    public void Named_UnknownName_ListsTheMethods() =>
        Assert.Equal("'merge' is not a merge method; expected one of cki, local-only, global-only, average, prune-reference, prune-magnitude, task-arithmetic, ties. (Parameter 'name')",
            Assert.Throws<ArgumentException>(() => MergeMethods.Named("merge")).Message);

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(1e-9, true)]
    [InlineData(1.0, true)]
    [InlineData(1.0000001, false)]
    [InlineData(double.NaN, false)]
    public void NumberRange_OpenBelowClosedAbove(double value, bool contained)
    {
        var range = NumberRange.AboveUpTo(0, 1);
        Assert.Equal(contained, range.Contains(value));
        Assert.Equal(("a number in (0, 1]", "0 < a <= 1"), (range.ToString(), range.Formula("a")));
    }

    [Fact]
    public void NumberRange_Any_TakesEveryFiniteNumberOnly()
    {
        Assert.True(NumberRange.Any.Contains(-1e300));
        Assert.False(NumberRange.Any.Contains(double.PositiveInfinity));
        Assert.Equal((">= 0", "a number >= 0"), (NumberRange.AtLeast(0).Formula("t"), NumberRange.AtLeast(0).ToString()));
    }
}
