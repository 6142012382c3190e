using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cki.Contracts.Manifests;

/// <summary>What option readers need of YamlDotNet's nodes: a key's value, positions, and words for messages.</summary>
internal static class YamlNodes
{
    /// <summary>The value of <paramref name="key"/>, or null when the key is absent.</summary>
    public static YamlNode? Find(this YamlMappingNode mapping, string key) =>
        mapping.Children.FirstOrDefault(e => e.Key is YamlScalarNode k && string.Equals(k.Value, key, StringComparison.Ordinal)).Value;

    /// <summary>A key's text (keys are plain values; <see cref="YamlDocumentReader"/> makes sure).</summary>
    public static string KeyText(this YamlNode key) => (key as YamlScalarNode)?.Value ?? "";

    /// <summary>The 1-based line.</summary>
    public static int Line(this YamlNode node) => (int)Math.Max(1, node.Start.Line);

    /// <summary>The 1-based column.</summary>
    public static int Column(this YamlNode node) => (int)Math.Max(1, node.Start.Column);

    /// <summary>A scalar written in quotes or as a block: always a string, never a number or a boolean.</summary>
    public static bool IsQuoted(this YamlScalarNode scalar) => scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any);

    /// <summary>What the node is, for messages: "a mapping", "a list", "the value 'x'".</summary>
    public static string Describe(this YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when !s.IsQuoted() && string.IsNullOrEmpty(s.Value) => "an empty value",
        YamlScalarNode s => s.IsQuoted() ? $"the quoted string '{Shown(s.Value ?? "")}'" : $"the value '{Shown(s.Value ?? "")}'",
        _ => "a node",
    };

    // A message quotes at most the start of a long value.
    private static string Shown(string value) => value.Length > 40 ? value[..40] + "..." : value;
}
