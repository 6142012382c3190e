using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Cki.Contracts.Manifests;

/// <summary>
/// Typed reads of option nodes (family manifests and merge configs), each failing with a <see cref="ManifestException"/> that names the field, says
/// what was found and what is expected.
/// </summary>
internal sealed class ManifestValueReader(string blobName)
{
    private const string DocumentField = YamlDocumentReader.DocumentField;

    /// <summary>The dotted path of <paramref name="key"/> under <paramref name="parent"/>.</summary>
    public static string Path(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    /// <summary>The error for <paramref name="field"/> at <paramref name="node"/>'s position.</summary>
    public ManifestException Error(YamlNode node, string field, string problem) =>
        new(blobName, field.Length == 0 ? DocumentField : field, node.Line(), node.Column(), problem);

    /// <summary>A mapping whose keys are all in <paramref name="allowedKeys"/>.</summary>
    public YamlMappingNode Mapping(YamlNode node, string field, IReadOnlyList<string> allowedKeys)
    {
        var mapping = AnyMapping(node, field, $"a mapping with keys {string.Join(", ", allowedKeys)}");
        foreach (var key in mapping.Children.Keys)
        {
            if (!allowedKeys.Contains(key.KeyText()))
            {
                throw Error(key, Path(field, key.KeyText()),
                    $"unknown key '{key.KeyText()}'; allowed keys: {string.Join(", ", allowedKeys)}");
            }
        }

        return mapping;
    }

    /// <summary>A mapping with any keys.</summary>
    public YamlMappingNode AnyMapping(YamlNode node, string field, string expected) =>
        node as YamlMappingNode ?? throw Error(node, field, $"expected {expected}, found {node.Describe()}");

    /// <summary>A list (block or flow).</summary>
    public IReadOnlyList<YamlNode> List(YamlNode node, string field, string expected) =>
        node is YamlSequenceNode sequence ? [.. sequence.Children] : throw Error(node, field, $"expected {expected}, found {node.Describe()}");

    /// <summary>A non-empty scalar, quoted or plain.</summary>
    public string Text(YamlNode node, string field, string expected) =>
        node is YamlScalarNode { Value.Length: > 0 } scalar ? scalar.Value : throw Error(node, field, $"expected {expected}, found {node.Describe()}");

    /// <summary>One of <paramref name="allowed"/>.</summary>
    public string OneOf(YamlNode node, string field, IReadOnlyList<string> allowed)
    {
        var expected = $"one of {string.Join(", ", allowed)}";
        var value = Text(node, field, expected);
        return allowed.Contains(value) ? value : throw Error(node, field, $"expected {expected}, found {node.Describe()}");
    }

    /// <summary>A finite plain number for which <paramref name="inRange"/> holds.</summary>
    public double Number(YamlNode node, string field, Func<double, bool> inRange, string expected)
    {
        const NumberStyles Style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (node is YamlScalarNode scalar && !scalar.IsQuoted()
            && double.TryParse(scalar.Value, Style, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value)
            && inRange(value))
        {
            return value;
        }

        throw Error(node, field, $"expected {expected}, found {node.Describe()}");
    }

    /// <summary>A plain integer from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public int Integer(YamlNode node, string field, int min, int max)
    {
        if (node is YamlScalarNode scalar && !scalar.IsQuoted()
            && int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max)
        {
            return value;
        }

        var expected = max == int.MaxValue
            ? string.Create(CultureInfo.InvariantCulture, $"an integer >= {min}")
            : string.Create(CultureInfo.InvariantCulture, $"an integer from {min} to {max}");
        throw Error(node, field, $"expected {expected}, found {node.Describe()}");
    }

    /// <summary>A plain <c>true</c> or <c>false</c>.</summary>
    public bool Boolean(YamlNode node, string field) => node switch
    {
        YamlScalarNode { Value: "true" } s when !s.IsQuoted() => true,
        YamlScalarNode { Value: "false" } s when !s.IsQuoted() => false,
        _ => throw Error(node, field, $"expected true or false, found {node.Describe()}"),
    };

    /// <summary>A blob reference (<see cref="BlobReference"/>), returned as written.</summary>
    public string Reference(YamlNode node, string field)
    {
        var value = Text(node, field, "a blob reference 'container/name' with container checkpoints or data");
        return BlobReference.TryParse(value, out _, out var problem) ? value : throw Error(node, field, problem);
    }

    /// <summary>A list of distinct names from <paramref name="allowed"/>, at least <paramref name="minCount"/> of them.</summary>
    public IReadOnlyList<string> DistinctNames(YamlNode node, string field, IReadOnlyList<string> allowed, int minCount)
    {
        var expected = $"a list of distinct names from {string.Join(", ", allowed)}";
        var items = List(node, field, expected);
        if (items.Count < minCount)
        {
            throw Error(node, field, string.Create(CultureInfo.InvariantCulture, $"expected at least {minCount} of {string.Join(", ", allowed)}, found {items.Count}"));
        }

        var names = new List<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var itemField = string.Create(CultureInfo.InvariantCulture, $"{field}[{i}]");
            var name = OneOf(items[i], itemField, allowed);
            if (names.Contains(name))
            {
                throw Error(items[i], itemField, $"'{name}' is listed twice; expected {expected}");
            }

            names.Add(name);
        }

        return names;
    }
}
