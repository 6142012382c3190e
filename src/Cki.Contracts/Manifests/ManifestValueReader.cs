using System.Globalization;

namespace Cki.Contracts.Manifests;

/// <summary>
/// Typed reads of manifest nodes, each failing with a <see cref="ManifestException"/> that names the field, says
/// what was found and what is expected.
/// </summary>
internal sealed class ManifestValueReader(string blobName)
{
    private const string DocumentField = "(document)";

    /// <summary>The dotted path of <paramref name="key"/> under <paramref name="parent"/>.</summary>
    public static string Path(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    /// <summary>The error for <paramref name="field"/> at <paramref name="node"/>'s position.</summary>
    public ManifestException Error(YamlSubsetNode node, string field, string problem) =>
        new(blobName, field.Length == 0 ? DocumentField : field, node.Line, node.Column, problem);

    /// <summary>A mapping whose keys are all in <paramref name="allowedKeys"/>.</summary>
    public YamlSubsetMapping Mapping(YamlSubsetNode node, string field, IReadOnlyList<string> allowedKeys)
    {
        var mapping = AnyMapping(node, field, $"a mapping with keys {string.Join(", ", allowedKeys)}");
        foreach (var entry in mapping.Entries)
        {
            if (!allowedKeys.Contains(entry.Key.Value))
            {
                throw Error(entry.Key, Path(field, entry.Key.Value),
                    $"unknown key '{entry.Key.Value}'; allowed keys: {string.Join(", ", allowedKeys)}");
            }
        }

        return mapping;
    }

    /// <summary>A mapping with any keys.</summary>
    public YamlSubsetMapping AnyMapping(YamlSubsetNode node, string field, string expected) =>
        node as YamlSubsetMapping ?? throw Error(node, field, $"expected {expected}, found {node.Description}");

    /// <summary>A list (block or flow).</summary>
    public IReadOnlyList<YamlSubsetNode> List(YamlSubsetNode node, string field, string expected) =>
        node is YamlSubsetSequence sequence ? sequence.Items : throw Error(node, field, $"expected {expected}, found {node.Description}");

    /// <summary>A non-empty scalar, quoted or plain.</summary>
    public string Text(YamlSubsetNode node, string field, string expected) =>
        node is YamlSubsetScalar { Value.Length: > 0 } scalar ? scalar.Value : throw Error(node, field, $"expected {expected}, found {node.Description}");

    /// <summary>One of <paramref name="allowed"/>.</summary>
    public string OneOf(YamlSubsetNode node, string field, IReadOnlyList<string> allowed)
    {
        var expected = $"one of {string.Join(", ", allowed)}";
        var value = Text(node, field, expected);
        return allowed.Contains(value) ? value : throw Error(node, field, $"expected {expected}, found {node.Description}");
    }

    /// <summary>A finite plain number for which <paramref name="inRange"/> holds.</summary>
    public double Number(YamlSubsetNode node, string field, Func<double, bool> inRange, string expected)
    {
        const NumberStyles Style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (node is YamlSubsetScalar { IsQuoted: false } scalar
            && double.TryParse(scalar.Value, Style, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value)
            && inRange(value))
        {
            return value;
        }

        throw Error(node, field, $"expected {expected}, found {node.Description}");
    }

    /// <summary>A plain integer from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public int Integer(YamlSubsetNode node, string field, int min, int max)
    {
        if (node is YamlSubsetScalar { IsQuoted: false } scalar
            && int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max)
        {
            return value;
        }

        var expected = max == int.MaxValue
            ? string.Create(CultureInfo.InvariantCulture, $"an integer >= {min}")
            : string.Create(CultureInfo.InvariantCulture, $"an integer from {min} to {max}");
        throw Error(node, field, $"expected {expected}, found {node.Description}");
    }

    /// <summary>A plain <c>true</c> or <c>false</c>.</summary>
    public bool Boolean(YamlSubsetNode node, string field) => node switch
    {
        YamlSubsetScalar { IsQuoted: false, Value: "true" } => true,
        YamlSubsetScalar { IsQuoted: false, Value: "false" } => false,
        _ => throw Error(node, field, $"expected true or false, found {node.Description}"),
    };

    /// <summary>A blob reference (<see cref="BlobReference"/>), returned as written.</summary>
    public string Reference(YamlSubsetNode node, string field)
    {
        var value = Text(node, field, "a blob reference 'container/name' with container checkpoints or data");
        return BlobReference.TryParse(value, out _, out var problem) ? value : throw Error(node, field, problem);
    }

    /// <summary>A list of distinct names from <paramref name="allowed"/>, at least <paramref name="minCount"/> of them.</summary>
    public IReadOnlyList<string> DistinctNames(YamlSubsetNode node, string field, IReadOnlyList<string> allowed, int minCount)
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
