using Cki.Contracts.Manifests;

namespace Cki.Contracts.Tests.Manifests;

public class YamlSubsetReaderTests
{
    private static YamlSubsetNode Read(string text) => YamlSubsetReader.Read(text, "fam/cki.yaml");

    private static ManifestException Fails(string text) => Assert.Throws<ManifestException>(() => Read(text));

    private static string Scalar(YamlSubsetNode? node) => Assert.IsType<YamlSubsetScalar>(node).Value;

    [Fact]
    public void Read_NestedMappings_KeepValuesAndPositions()
    {
        var root = Assert.IsType<YamlSubsetMapping>(Read("task: synthetic\nmerge:\n  method: cki\n  a: 0.4\n"));
        Assert.Equal("synthetic", Scalar(root.Find("task")));
        var merge = Assert.IsType<YamlSubsetMapping>(root.Find("merge"));
        var a = Assert.IsType<YamlSubsetScalar>(merge.Find("a"));
        Assert.Equal(("0.4", 4, 6), (a.Value, a.Line, a.Column));
        Assert.Equal((3, 3), (merge.Line, merge.Column));
        Assert.Equal(["method", "a"], merge.Entries.Select(e => e.Key.Value));
    }

    [Fact]
    public void Read_Comments_AreIgnoredButHashInsideAValueIsKept()
    {
        var root = Assert.IsType<YamlSubsetMapping>(Read("# head\n\n---   # start\ntask: a#b   # trailing\n  # indented comment\nk: 'x # y'\nq: \"z # w\"\n"));
        Assert.Equal("a#b", Scalar(root.Find("task")));
        Assert.Equal("x # y", Scalar(root.Find("k")));
        Assert.Equal("z # w", Scalar(root.Find("q")));
    }

    [Fact]
    public void Read_QuotedScalars_AreUnescaped()
    {
        var root = Assert.IsType<YamlSubsetMapping>(Read("a: 'it''s'\nb: \"tab\\there \\\"q\\\" \\u00e9\\x41\\U0001F600\"\n\"quoted key\": v\n"));
        Assert.Equal("it's", Scalar(root.Find("a")));
        Assert.Equal("tab\there \"q\" \u00e9A\U0001F600", Scalar(root.Find("b")));
        Assert.Equal("v", Scalar(root.Find("quoted key")));
        Assert.True(Assert.IsType<YamlSubsetScalar>(root.Find("a")).IsQuoted);
    }

    [Fact]
    public void Read_FlowSequence_GivesScalarItemsWithColumns()
    {
        var root = Assert.IsType<YamlSubsetMapping>(Read("lr: [0.001, 'b c' , 1e-3,]\nnone: []\n"));
        var list = Assert.IsType<YamlSubsetSequence>(root.Find("lr"));
        Assert.Equal(["0.001", "b c", "1e-3"], list.Items.Select(Scalar));
        Assert.Equal([6, 13, 21], list.Items.Select(i => i.Column));
        Assert.Empty(Assert.IsType<YamlSubsetSequence>(root.Find("none")).Items);
    }

    [Fact]
    public void Read_BlockSequenceOfMappings_NestsByIndentation()
    {
        const string Text = "jobs:\n  - name: a\n    tags:\n    - x\n    - y\n  - name: b\n  -\n    name: c\n  - plain\nafter: 1\n";
        var root = Assert.IsType<YamlSubsetMapping>(Read(Text));
        var jobs = Assert.IsType<YamlSubsetSequence>(root.Find("jobs")).Items;
        Assert.Equal(4, jobs.Count);
        var first = Assert.IsType<YamlSubsetMapping>(jobs[0]);
        Assert.Equal(["x", "y"], Assert.IsType<YamlSubsetSequence>(first.Find("tags")).Items.Select(Scalar));
        Assert.Equal((2, 5), (first.Line, first.Column));
        Assert.Equal("b", Scalar(Assert.IsType<YamlSubsetMapping>(jobs[1]).Find("name")));
        Assert.Equal("c", Scalar(Assert.IsType<YamlSubsetMapping>(jobs[2]).Find("name")));
        Assert.Equal("plain", Scalar(jobs[3]));
        Assert.Equal("1", Scalar(root.Find("after")));
    }

    [Fact]
    public void Read_SequenceAtTheKeysIndentation_BelongsToTheKey()
    {
        var root = Assert.IsType<YamlSubsetMapping>(Read("s:\n- a\n- b\nt: 1\n"));
        Assert.Equal(["a", "b"], Assert.IsType<YamlSubsetSequence>(root.Find("s")).Items.Select(Scalar));
        Assert.Equal("1", Scalar(root.Find("t")));
    }

    [Fact]
    public void Read_KeyWithoutValue_IsAnEmptyScalar()
    {
        var root = Assert.IsType<YamlSubsetMapping>(Read("a:\nb: 1\n"));
        Assert.True(Assert.IsType<YamlSubsetScalar>(root.Find("a")).IsEmpty);
    }

    [Fact]
    public void Read_EmptyOrCommentOnlyText_IsAnEmptyMapping()
    {
        Assert.Empty(Assert.IsType<YamlSubsetMapping>(Read("")).Entries);
        Assert.Empty(Assert.IsType<YamlSubsetMapping>(Read("# nothing\n\n---\n")).Entries);
    }

    [Fact]
    public void Read_CrLfLineEnds_AreAccepted()
    {
        var root = Assert.IsType<YamlSubsetMapping>(Read("a: 1\r\nb:\r\n  c: 2\r\n"));
        Assert.Equal("2", Scalar(Assert.IsType<YamlSubsetMapping>(root.Find("b")).Find("c")));
    }

    [Theory]
    [InlineData("a: 1\n\tb: 2\n", 2, 1)]
    [InlineData("a:\n  b: 1\t# tab before comment\n", 2, 7)]
    public void Read_Tab_IsRejectedWithItsPosition(string text, int line, int column)
    {
        var error = Fails(text);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains("tab", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DuplicateKey_IsRejectedAtTheSecondKey()
    {
        var error = Fails("merge:\n  a: 1\n  c: 2\n  a: 3\n");
        Assert.Equal("fam/cki.yaml:4:3: merge.a: duplicate key 'a' (first at line 2); each key may appear once", error.Message);
        Assert.Equal(("merge.a", 4, 3), (error.Field, error.Line, error.Column));
    }

    [Theory]
    [InlineData("a: &x 1\n", 1, 4, "anchors")]
    [InlineData("a: *x\n", 1, 4, "aliases")]
    [InlineData("a: !!str 1\n", 1, 4, "tags")]
    [InlineData("a: |\n  text\n", 1, 4, "block scalars")]
    [InlineData("a: >\n  text\n", 1, 4, "block scalars")]
    [InlineData("a: {b: 1}\n", 1, 4, "flow mappings")]
    [InlineData("a: 1\n---\nb: 2\n", 2, 1, "second document")]
    [InlineData("a: 1\n...\n", 2, 1, "'...'")]
    [InlineData("a: [x, [y]]\n", 1, 8, "nested flow lists")]
    [InlineData("a: [x, y\n", 1, 4, "unclosed")]
    [InlineData("a: 'x\n", 1, 4, "unterminated")]
    [InlineData("a: b: c\n", 1, 5, "': '")]
    [InlineData("a: 1\n  b: 2\n", 2, 3, "unexpected indentation")]
    [InlineData("a:\n    b: 1\n  c: 2\n", 3, 3, "unexpected indentation")]
    [InlineData("a: \"\\q\"\n", 1, 5, "unknown escape")]
    [InlineData("? a\n", 1, 1, "complex keys")]
    [InlineData("%YAML 1.2\n", 1, 1, "directives")]
    [InlineData("a: - b\n", 1, 4, "list item")]
    [InlineData("a:\n  text\n  more\n", 3, 3, "multi-line")]
    [InlineData("- a\nb: 1\n", 2, 1, "one mapping or one list")]
    [InlineData("a: \u0001\n", 1, 4, "control character")]
    public void Read_OutsideTheSubset_IsRejectedWithLineAndColumn(string text, int line, int column, string what)
    {
        var error = Fails(text);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"fam/cki.yaml:{line}:{column}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TextOver64KiB_IsRejected()
    {
        var ok = "a: " + new string('x', YamlSubsetReader.MaxBytes - 4) + "\n";
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
}
