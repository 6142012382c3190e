namespace Cki.Contracts.Manifests;

/// <summary>A node of the YAML subset a manifest is written in, with its 1-based position.</summary>
internal abstract class YamlSubsetNode(int line, int column)
{
    /// <summary>The 1-based line the node starts on.</summary>
    public int Line { get; } = line;

    /// <summary>The 1-based column the node starts at.</summary>
    public int Column { get; } = column;

    /// <summary>What the node is, for messages: "a mapping", "a list", "a value".</summary>
    public abstract string Description { get; }
}

/// <summary>A scalar: its text after unquoting, and whether it was quoted (a quoted scalar is always a string).</summary>
internal sealed class YamlSubsetScalar(int line, int column, string value, bool isQuoted) : YamlSubsetNode(line, column)
{
    /// <summary>The text, unquoted and unescaped; empty for an absent value (<c>key:</c> with nothing after it).</summary>
    public string Value { get; } = value;

    /// <summary>True for a single- or double-quoted scalar.</summary>
    public bool IsQuoted { get; } = isQuoted;

    /// <summary>True for <c>key:</c> with no value.</summary>
    public bool IsEmpty => !IsQuoted && Value.Length == 0;

    /// <inheritdoc/>
    public override string Description => IsEmpty ? "an empty value" : IsQuoted ? $"the quoted string '{Shown}'" : $"the value '{Shown}'";

    // A message quotes at most the start of a long value.
    private string Shown => Value.Length > 40 ? Value[..40] + "..." : Value;
}

/// <summary>A block mapping: keys in document order, no duplicates.</summary>
internal sealed class YamlSubsetMapping(int line, int column) : YamlSubsetNode(line, column)
{
    private readonly List<KeyValuePair<YamlSubsetScalar, YamlSubsetNode>> _entries = [];

    /// <summary>The entries in document order.</summary>
    public IReadOnlyList<KeyValuePair<YamlSubsetScalar, YamlSubsetNode>> Entries => _entries;

    /// <inheritdoc/>
    public override string Description => "a mapping";

    /// <summary>The value of <paramref name="key"/>, or null when the key is absent.</summary>
    public YamlSubsetNode? Find(string key)
    {
        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Key.Value, key, StringComparison.Ordinal))
            {
                return entry.Value;
            }
        }

        return null;
    }

    internal void Add(YamlSubsetScalar key, YamlSubsetNode value) => _entries.Add(new(key, value));
}

/// <summary>A block sequence (<c>- item</c> lines) or a flow sequence of scalars (<c>[a, b]</c>).</summary>
internal sealed class YamlSubsetSequence(int line, int column) : YamlSubsetNode(line, column)
{
    private readonly List<YamlSubsetNode> _items = [];

    /// <summary>The items in document order.</summary>
    public IReadOnlyList<YamlSubsetNode> Items => _items;

    /// <inheritdoc/>
    public override string Description => "a list";

    internal void Add(YamlSubsetNode item) => _items.Add(item);
}
