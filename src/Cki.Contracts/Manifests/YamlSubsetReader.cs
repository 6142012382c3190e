using System.Globalization;
using System.Text;

namespace Cki.Contracts.Manifests;

/// <summary>
/// Reads the small YAML subset a manifest needs: block mappings and sequences nested by space indentation, flow
/// sequences of scalars on one line, plain and quoted one-line scalars, comments, an optional leading <c>---</c>.
/// Everything else is rejected with its position, and the input is bounded, so any text either gives a tree or a
/// <see cref="ManifestException"/>.
/// </summary>
/// <remarks>
/// Lines are read once, then parsed top-down; a block collection owns the lines at its indentation, so a line
/// indented to no open collection is an error rather than a guess. The tail of a <c>- item</c> line is re-read as
/// a line indented to the item's text, which is how a mapping can start on the line of its dash.
/// </remarks>
internal sealed partial class YamlSubsetReader
{
    /// <summary>The most UTF-8 bytes a manifest may have.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>The deepest nesting of collections (the root collection is level 1).</summary>
    public const int MaxDepth = 16;

    /// <summary>The most nodes (keys, values, items, collections) a manifest may have.</summary>
    public const int MaxNodes = 10_000;

    private const string DocumentField = "(document)";

    private readonly string _blobName;
    private readonly List<SourceLine> _lines;
    private int _next;
    private int _nodeCount;

    private YamlSubsetReader(string blobName, List<SourceLine> lines)
    {
        _blobName = blobName;
        _lines = lines;
    }

    /// <summary>
    /// Reads <paramref name="text"/>; an empty document gives an empty mapping at 1:1.
    /// </summary>
    /// <exception cref="ManifestException">The text is outside the subset or over a bound.</exception>
    public static YamlSubsetNode Read(string text, string blobName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(blobName);
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > MaxBytes)
        {
            throw new ManifestException(blobName, DocumentField, 1, 1,
                string.Create(CultureInfo.InvariantCulture, $"the manifest has {bytes} bytes; expected at most {MaxBytes} (64 KiB)"));
        }

        var reader = new YamlSubsetReader(blobName, SplitLines(text, blobName));
        return reader.ReadDocument();
    }

    private YamlSubsetNode ReadDocument()
    {
        if (_lines.Count == 0)
        {
            return new YamlSubsetMapping(1, 1);
        }

        var indent = _lines[0].Start;
        var root = ParseBlock(indent, 1, "");
        if (_next < _lines.Count)
        {
            var line = _lines[_next];
            throw Error(line, line.Start, DocumentField, line.Start == indent
                ? "a manifest is one mapping or one list; this line does not continue the first line's"
                : $"unexpected indentation at column {line.Start + 1}; expected column {indent + 1} like the first line");
        }

        return root;
    }

    /// <summary>A collection or a one-line scalar whose first line is the current line, indented by <paramref name="indent"/>.</summary>
    private YamlSubsetNode ParseBlock(int indent, int level, string path)
    {
        var line = _lines[_next];
        if (IsSequenceItem(line))
        {
            return ParseSequence(indent, level, path);
        }

        if (TryFindKey(line, path, out _, out _))
        {
            return ParseMapping(indent, level, path);
        }

        var (value, end) = ParseInlineValue(line, line.Start, level, path);
        ExpectLineEnd(line, end, path);
        _next++;
        if (_next < _lines.Count && _lines[_next].Start >= indent)
        {
            var more = _lines[_next];
            throw Error(more, more.Start, path, "a value must fit on one line (multi-line scalars are not supported)");
        }

        return value;
    }

    private YamlSubsetMapping ParseMapping(int indent, int level, string path)
    {
        var first = _lines[_next];
        CheckDepth(first, indent, level, path);
        var mapping = new YamlSubsetMapping(first.Number, indent + 1);
        CountNode(first, indent, path);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        while (_next < _lines.Count)
        {
            var line = _lines[_next];
            if (line.Start < indent)
            {
                break;
            }

            if (line.Start > indent)
            {
                throw Error(line, line.Start, path,
                    $"unexpected indentation at column {line.Start + 1}; expected column {indent + 1} (or a multi-line value, which is not supported)");
            }

            if (IsSequenceItem(line))
            {
                throw Error(line, line.Start, path, "expected 'key: value' here, found a list item '- '");
            }

            if (!TryFindKey(line, path, out var key, out var afterColon))
            {
                throw Error(line, line.Start, path, "expected 'key: value'");
            }

            var keyPath = path.Length == 0 ? key.Value : $"{path}.{key.Value}";
            if (seen.TryGetValue(key.Value, out var firstLine))
            {
                throw Error(line, line.Start, keyPath,
                    string.Create(CultureInfo.InvariantCulture, $"duplicate key '{key.Value}' (first at line {firstLine}); each key may appear once"));
            }

            seen.Add(key.Value, line.Number);
            CountNode(line, line.Start, keyPath);
            var valueStart = SkipSpaces(line.Text, afterColon);
            YamlSubsetNode value;
            if (IsLineEnd(line.Text, valueStart))
            {
                _next++;
                value = ParseNestedOrEmpty(indent, level + 1, keyPath, line, afterColon, sameIndentSequence: true);
            }
            else
            {
                var (inline, end) = ParseInlineValue(line, valueStart, level + 1, keyPath);
                ExpectLineEnd(line, end, keyPath);
                _next++;
                value = inline;
            }

            mapping.Add(key, value);
        }

        return mapping;
    }

    private YamlSubsetSequence ParseSequence(int indent, int level, string path)
    {
        var first = _lines[_next];
        CheckDepth(first, indent, level, path);
        var sequence = new YamlSubsetSequence(first.Number, indent + 1);
        CountNode(first, indent, path);
        while (_next < _lines.Count)
        {
            var line = _lines[_next];
            if (line.Start < indent || (line.Start == indent && !IsSequenceItem(line)))
            {
                break;
            }

            if (line.Start > indent)
            {
                throw Error(line, line.Start, path,
                    $"unexpected indentation at column {line.Start + 1}; expected column {indent + 1} (or a multi-line value, which is not supported)");
            }

            var itemPath = string.Create(CultureInfo.InvariantCulture, $"{path}[{sequence.Items.Count}]");
            var itemStart = SkipSpaces(line.Text, line.Start + 1);
            if (IsLineEnd(line.Text, itemStart))
            {
                _next++;
                sequence.Add(ParseNestedOrEmpty(indent, level + 1, itemPath, line, line.Start + 1, sameIndentSequence: false));
            }
            else
            {
                // The item's text is read as a line of its own, indented to where the text starts.
                _lines[_next] = line with { Start = itemStart };
                sequence.Add(ParseBlock(itemStart, level + 1, itemPath));
            }
        }

        return sequence;
    }

    /// <summary>The value of <c>key:</c> or <c>-</c> with nothing after it: the more indented block below, or empty.</summary>
    private YamlSubsetNode ParseNestedOrEmpty(int parentIndent, int level, string path, SourceLine owner, int emptyAt, bool sameIndentSequence)
    {
        if (_next < _lines.Count)
        {
            var next = _lines[_next];
            if (next.Start > parentIndent)
            {
                return ParseBlock(next.Start, level, path);
            }

            // YAML lets a mapping's list sit at the key's own indentation ("key:\n- a").
            if (sameIndentSequence && next.Start == parentIndent && IsSequenceItem(next))
            {
                return ParseSequence(parentIndent, level, path);
            }
        }

        CountNode(owner, emptyAt, path);
        return new YamlSubsetScalar(owner.Number, emptyAt + 1, "", isQuoted: false);
    }

    private void CheckDepth(SourceLine line, int index, int level, string path)
    {
        if (level > MaxDepth)
        {
            throw Error(line, index, path,
                string.Create(CultureInfo.InvariantCulture, $"collections are nested {level} levels deep; expected at most {MaxDepth}"));
        }
    }

    private void CountNode(SourceLine line, int index, string path)
    {
        if (++_nodeCount > MaxNodes)
        {
            throw Error(line, index, path,
                string.Create(CultureInfo.InvariantCulture, $"the manifest has more than {MaxNodes} nodes (keys, values and list items)"));
        }
    }

    private ManifestException Error(SourceLine line, int index, string path, string problem) =>
        new(_blobName, path.Length == 0 ? DocumentField : path, line.Number, index + 1, problem);
}
