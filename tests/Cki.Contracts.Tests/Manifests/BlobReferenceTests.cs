using Cki.Contracts.Manifests;

namespace Cki.Contracts.Tests.Manifests;

public class BlobReferenceTests
{
    [Fact]
    public void Parse_ValidReference_SplitsContainerAndName()
    {
        var reference = BlobReference.Parse("checkpoints/fam/base/v1/model.safetensors");
        Assert.Equal(new BlobReference("checkpoints", "fam/base/v1/model.safetensors"), reference);
        Assert.Equal("checkpoints/fam/base/v1/model.safetensors", reference.ToString());
        Assert.Equal("data", BlobReference.Parse("data/x..y/.hidden").Container);
    }

    [Fact]
    public void Parse_InvalidReference_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => BlobReference.Parse("runs/r1/x"));
    }

    [Fact]
    public void Parse_NameOf1024Characters_IsTheLongestAccepted()
    {
        Assert.Equal(1024, BlobReference.Parse("data/" + new string('n', 1024)).Name.Length);
        Assert.False(BlobReference.TryParse("data/" + new string('n', 1025), out _, out var problem));
        Assert.Contains("1025 characters; expected at most 1024", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://acct.blob.core.windows.net/data/x.csv", "absolute URL")]
    [InlineData("abfss://data/x.csv", "absolute URL")]
    [InlineData("/data/x.csv", "starts with '/'")]
    [InlineData("data\\x.csv", "contains '\\'")]
    [InlineData("data/../checkpoints/x", "'..' segment")]
    [InlineData("data/./x.csv", "'.' segment")]
    [InlineData("data//x.csv", "empty segment")]
    [InlineData("data/x/", "empty segment")]
    [InlineData("runs/r1/spec.json", "container 'runs' is not one of checkpoints, data")]
    [InlineData("Data/x.csv", "container 'Data' is not one of checkpoints, data")]
    [InlineData("data", "no blob name")]
    public void Parse_ReferenceThatCouldEscape_IsRejectedOnDataAndBase(string value, string what)
    {
        Assert.False(BlobReference.TryParse(value, out _, out var problem));
        Assert.Contains(what, problem, StringComparison.Ordinal);

        var quoted = "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
        var onData = Assert.Throws<ManifestException>(() =>
            FamilyManifestParser.Parse($"{ManifestSamples.Minimal}data:\n  ratings: {quoted}\n", "m"));
        Assert.Equal(("data.ratings", 4, 12), (onData.Field, onData.Line, onData.Column));
        Assert.Contains(what, onData.Message, StringComparison.Ordinal);

        var onBase = Assert.Throws<ManifestException>(() =>
            FamilyManifestParser.Parse($"{ManifestSamples.Minimal}merge:\n  method: ties\n  base: {quoted}\n", "m"));
        Assert.Equal(("merge.base", 5, 9), (onBase.Field, onBase.Line, onBase.Column));
        Assert.Contains(what, onBase.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NameOver1024CharactersInManifest_IsRejectedOnTheField()
    {
        var error = Assert.Throws<ManifestException>(() =>
            FamilyManifestParser.Parse($"{ManifestSamples.Minimal}merge:\n  method: ties\n  base: checkpoints/{new string('n', 1025)}\n", "m"));
        Assert.Equal("merge.base", error.Field);
        Assert.Contains("expected at most 1024", error.Message, StringComparison.Ordinal);
    }
}
