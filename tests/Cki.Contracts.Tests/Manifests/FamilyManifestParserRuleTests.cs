using Cki.Contracts.Manifests;

namespace Cki.Contracts.Tests.Manifests;

public class FamilyManifestParserRuleTests
{
    private static FamilyManifest Parse(string text) => FamilyManifestParser.Parse(text, ManifestSamples.BlobName);

    private static ManifestException Fails(string text) => Assert.Throws<ManifestException>(() => Parse(text));

    [Theory]
    [InlineData("cki")]
    [InlineData("local-only")]
    public void Parse_LearnedMethodWithTaskNone_IsRejectedOnMergeMethod(string method)
    {
        var error = Fails($"task: none\nsources: [a, b]\nmerge:\n  method: {method}\n");
        Assert.Equal(("merge.method", 4, 11), (error.Field, error.Line, error.Column));
        Assert.Contains("needs a task with data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DataFreeMethodWithTaskNone_IsAccepted()
    {
        Assert.Equal("average", Parse("task: none\nsources: [a, b]\nmerge:\n  method: average\n").Merge.Method);
    }

    [Fact]
    public void Parse_LinearFormWithThreeSources_IsRejectedOnMergeForm()
    {
        var error = Fails("task: synthetic\nsources: [a, b, c]\nmerge:\n  form: linear\n");
        Assert.Equal(("merge.form", 4, 9), (error.Field, error.Line, error.Column));
        Assert.Contains("two models only, found 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LinearFormWithTwoSources_IsAccepted()
    {
        Assert.Equal("linear", Parse("task: synthetic\nsources: [a, b]\nmerge:\n  form: linear\n").Merge.Form);
    }

    [Theory]
    [InlineData("task-arithmetic")]
    [InlineData("ties")]
    public void Parse_MethodNeedingBaseWithoutBase_IsRejectedOnMergeBase(string method)
    {
        var error = Fails($"task: none\nsources: [a, b]\nmerge:\n  method: {method}\n");
        Assert.Equal(("merge.base", 4, 11), (error.Field, error.Line, error.Column));
        Assert.Contains($"method '{method}' needs a base model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TaskArithmeticWithBase_IsAccepted()
    {
        var merge = Parse("task: none\nsources: [a, b]\nmerge:\n  method: task-arithmetic\n  base: checkpoints/f/base/v1/model.safetensors\n").Merge;
        Assert.Equal("checkpoints/f/base/v1/model.safetensors", merge.Base);
    }

    [Fact]
    public void Parse_MovieLensWithoutData_IsRejectedOnData()
    {
        var error = Fails("task: movielens\nsources: [a, b]\n");
        Assert.Equal(("data", 1, 1), (error.Field, error.Line, error.Column));
        Assert.Contains("needs data keys ratings and movies; missing ratings, movies", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MovieLensWithoutMovies_IsRejectedAtTheDataSection()
    {
        var error = Fails("task: movielens\nsources: [a, b]\ndata:\n  ratings: data/ml/ratings.csv\n");
        Assert.Equal(("data", 4, 3), (error.Field, error.Line, error.Column));
        Assert.EndsWith("missing movies", error.Message, StringComparison.Ordinal);
    }
}
