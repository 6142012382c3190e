using Cki.Contracts.Manifests;
using YamlDotNet.RepresentationModel;

namespace Cki.Contracts.Tests.Manifests;

public class YamlDocumentReaderTests
{
    private static YamlNode Read(string text) => YamlDocumentReader.Read(text, "fam/cki.yaml");

    private static ManifestException Fails(string text) => Assert.Throws<ManifestException>(() => Read(text));

    private static string Scalar(YamlNode? node) => Assert.IsType<YamlScalarNode>(node).Value!;

    [Fact]
    public void Read_NestedMappings_KeepValuesAndPositions()
    {
        var root = Assert.IsType<YamlMappingNode>(Read("task: synthetic\nmerge:\n  method: cki\n  a: 0.4\n"));
        Assert.Equal("synthetic", Scalar(root.Find("task")));
        var merge = Assert.IsType<YamlMappingNode>(root.Find("merge"));
        var a = Assert.IsType<YamlScalarNode>(merge.Find("a"));
        Assert.Equal(("0.4", 4, 6), (a.Value, a.Line(), a.Column()));
        Assert.Equal((3, 3), (merge.Line(), merge.Column()));
        Assert.Equal(["method", "a"], merge.Children.Keys.Select(k => k.KeyText()));
    }

    [Fact]
    public void Read_QuotedScalars_AreStringsAndPlainOnesAreNot()
    {
        var root = Assert.IsType<YamlMappingNode>(Read("a: 'it''s'\nb: \"x\\ty\"\nc: 1\nd:\n"));
        Assert.Equal("it's", Scalar(root.Find("a")));
        Assert.Equal("x\ty", Scalar(root.Find("b")));
        Assert.True(Assert.IsType<YamlScalarNode>(root.Find("a")).IsQuoted());
        Assert.False(Assert.IsType<YamlScalarNode>(root.Find("c")).IsQuoted());
        Assert.Equal("an empty value", root.Find("d")!.Describe());
        Assert.Equal("the quoted string 'it's'", root.Find("a")!.Describe());
    }

    [Fact]
    public void Read_EmptyOrCommentOnlyText_IsAnEmptyMapping()
    {
        Assert.Empty(Assert.IsType<YamlMappingNode>(Read("")).Children);
        var root = Assert.IsType<YamlMappingNode>(Read("# nothing here\n\n"));
        Assert.Empty(root.Children);
        Assert.Equal((1, 1), (root.Line(), root.Column()));
    }

    [Theory]
    [InlineData("a: &x 1\n", 1, 4, "anchors", "a")]
    [InlineData("a: 1\nb: *x\n", 2, 4, "aliases", "b")]
    [InlineData("a: !!str 1\n", 1, 4, "tags", "a")]
    [InlineData("a: 1\n---\nb: 2\n", 2, 1, "second document", "(document)")]
    [InlineData("merge:\n  a: 1\n  a: 2\n", 3, 3, "appears twice", "merge.a")]
    [InlineData("? [a]\n: 1\n", 1, 3, "a key must be a plain value", "(document)")]
    [InlineData("a: [x, y\n", 1, 4, "never closed", "(document)")]
    [InlineData("a: 'x\n", 1, 4, "not valid YAML", "(document)")]
    [InlineData("a:\n  b: 1\n\t c: 2\n", 3, 1, "a tab in the indentation", "(document)")]
    [InlineData("a: b: c\n", 1, 5, "not valid YAML", "(document)")]
    [InlineData("a: \"\\q\"\n", 1, 4, "not valid YAML", "(document)")]
    [InlineData("a:\n  - 1\n  - [2, &y 3]\n", 3, 9, "anchors", "a[1][1]")]
    public void Read_Rejected_NamesTheLineColumnAndField(string text, int line, int column, string what, string field)
    {
        var error = Fails(text);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
        Assert.Equal((line, column, field), (error.Line, error.Column, error.Field));
        Assert.StartsWith($"fam/cki.yaml:{line}:{column}: {field}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TextOver64KiB_IsRejected()
    {
        var ok = "a: " + new string('x', YamlDocumentReader.MaxBytes - 4) + "\n";
        Assert.Equal(65536, System.Text.Encoding.UTF8.GetByteCount(ok));
        Read(ok);
        var error = Fails(ok + "\n");
        Assert.Contains("65537 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NestingOver16Levels_IsRejected()
    {
        static string Nested(int levels) =>
            string.Concat(Enumerable.Range(0, levels).Select(i => $"{new string(' ', 2 * i)}k{i}:\n")) + new string(' ', 2 * levels) + "leaf: 1\n";

        // Nested(15) is 16 mappings: the root plus 15 below it.
        Read(Nested(15));
        var error = Fails(Nested(16));
        Assert.Equal((17, 33), (error.Line, error.Column));
        Assert.Contains("17 levels", error.Message, StringComparison.Ordinal);
        Assert.Equal("k0.k1.k2.k3.k4.k5.k6.k7.k8.k9.k10.k11.k12.k13.k14.k15", error.Field);
        Assert.Contains("17 levels", Fails(string.Concat(Enumerable.Repeat("- ", 17)) + "x\n").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MoreThan10000Nodes_IsRejected()
    {
        // The root mapping, the key, the list and its n items are n + 3 nodes.
        Read("k: [" + string.Join(',', Enumerable.Repeat("1", 9_997)) + "]\n");
        var error = Fails("k: [" + string.Join(',', Enumerable.Repeat("1", 9_998)) + "]\n");
        Assert.Contains("more than 10000 nodes", error.Message, StringComparison.Ordinal);
        Assert.Equal("k[9997]", error.Field);
    }

    [Fact]
    public void Read_ManyAliasesOfOneAnchor_AreRejectedBeforeAnythingExpands()
    {
        // The "billion laughs" shape: without the anchor rule a tree of 10^6 references would be built.
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + string.Concat(Enumerable.Range(1, 5).Select(i => $"b{i}: [{string.Join(", ", Enumerable.Repeat(i == 1 ? "*a" : $"*b{i - 1}", 10))}]\n"));
        Assert.Contains("anchors", Fails(text).Message, StringComparison.Ordinal);
    }
}
