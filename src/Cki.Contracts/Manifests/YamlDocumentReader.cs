using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Cki.Contracts.Manifests;

/// <summary>
/// Reads one YAML document of options (a family manifest or a merge config) with YamlDotNet, bounded: at most
/// <see cref="MaxBytes"/>, <see cref="MaxDepth"/> levels and <see cref="MaxNodes"/> nodes, one document, no anchors,
/// aliases or tags (so nothing expands), keys plain values that appear once. Every problem is a
/// <see cref="ManifestException"/> with the file, line, column and the field it was under.
/// </summary>
internal static class YamlDocumentReader
{
    /// <summary>The most UTF-8 bytes an options file may have.</summary>
    public const int MaxBytes = ManifestException.MaxBytes;

    /// <summary>The deepest nesting of collections (the root collection is level 1).</summary>
    public const int MaxDepth = 16;

    /// <summary>The most nodes (keys, values, items, collections) a file may have.</summary>
    public const int MaxNodes = 10_000;

    /// <summary>The field name of errors that belong to no field.</summary>
    public const string DocumentField = ManifestException.DocumentField;

    /// <summary>The document's root node; an empty document (or comments only) is an empty mapping at 1:1.</summary>
    /// <exception cref="ManifestException">The text is not valid YAML or breaks a bound or a rule above.</exception>
    public static YamlNode Read(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > MaxBytes)
        {
            throw ManifestException.TooLarge(fileName, bytes);
        }

        RejectTabIndentation(text, fileName);
        try
        {
            if (!new EventCheck(fileName).HasDocument(text))
            {
                return new YamlMappingNode();
            }

            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            // A bracket left open is reported by the parser where it gave up; the bracket itself is the better place.
            if (YamlErrorLocator.Locate(text) is { Unclosed: true } open)
            {
                throw new ManifestException(fileName, DocumentField, (int)open.Line, (int)open.Column, $"not valid YAML: {open.Problem}");
            }

            throw new ManifestException(fileName, DocumentField, (int)e.Start.Line, (int)e.Start.Column, $"not valid YAML: {Sentence(e.Message)}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet fails without a position on some unclosed flow collections: find the place ourselves.
            var (line, column, problem, _) = YamlErrorLocator.Locate(text);
            throw new ManifestException(fileName, DocumentField, (int)line, (int)column, $"not valid YAML: {problem}");
        }
    }

    // YAML forbids tabs in indentation, but the parser reports the mapping's first line instead of the tab's.
    private static void RejectTabIndentation(string text, string fileName)
    {
        var line = 1;
        for (var start = 0; start < text.Length; line++)
        {
            var end = text.IndexOf('\n', start);
            end = end < 0 ? text.Length : end;
            for (var i = start; i < end && text[i] is ' ' or '\t'; i++)
            {
                if (text[i] == '\t')
                {
                    throw new ManifestException(fileName, DocumentField, line, i - start + 1, "a tab in the indentation; indent with spaces");
                }
            }

            start = end + 1;
        }
    }

    private static string Sentence(string message) => message.TrimEnd('.');

    /// <summary>One pass over the parser's events that enforces the bounds and rules before a tree is built.</summary>
    private sealed class EventCheck(string fileName)
    {
        private readonly Stack<Frame> _open = new();
        private int _nodes;
        private int _documents;

        public bool HasDocument(string text)
        {
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case DocumentStart start when ++_documents > 1:
                        throw Error(start.Start, "", "a second document; expected one document");
                    case AnchorAlias alias:
                        throw Error(alias.Start, Place(), "aliases (*name) are not accepted");
                    case NodeEvent node:
                        Enter(node);
                        break;
                    case MappingEnd or SequenceEnd:
                        _open.Pop();
                        break;
                }
            }

            return _documents == 1;
        }

        private void Enter(NodeEvent node)
        {
            if (!node.Anchor.IsEmpty)
            {
                throw Error(node.Start, Place(), "anchors (&name) are not accepted");
            }

            if (!node.Tag.IsEmpty)
            {
                throw Error(node.Start, Place(), "tags (!name) are not accepted");
            }

            if (++_nodes > MaxNodes)
            {
                throw Error(node.Start, Place(), string.Create(CultureInfo.InvariantCulture, $"more than {MaxNodes} nodes (keys, values and list items)"));
            }

            var path = Place();
            if (_open.TryPeek(out var parent) && parent.Keys is { } keys && parent.ExpectKey)
            {
                if (node is not Scalar key)
                {
                    throw Error(node.Start, path, "a key must be a plain value, not a list or mapping");
                }

                if (!keys.Add(key.Value))
                {
                    throw Error(node.Start, Join(parent.Path, key.Value), $"key '{key.Value}' appears twice");
                }

                parent.Key = key.Value;
                parent.ExpectKey = false;
                return;
            }

            if (parent is not null)
            {
                parent.ExpectKey = true;
                parent.Index++;
            }

            if (node is MappingStart or SequenceStart)
            {
                if (_open.Count + 1 > MaxDepth)
                {
                    throw Error(node.Start, path, string.Create(CultureInfo.InvariantCulture, $"collections are nested {_open.Count + 1} levels deep; expected at most {MaxDepth}"));
                }

                _open.Push(new Frame(path, node is MappingStart ? new HashSet<string>(StringComparer.Ordinal) : null));
            }
        }

        // The field of the node about to be read: the key it is the value of, or the list item it is.
        private string Place()
        {
            if (!_open.TryPeek(out var parent))
            {
                return "";
            }

            return parent.Keys is null
                ? string.Create(CultureInfo.InvariantCulture, $"{parent.Path}[{parent.Index}]")
                : parent.ExpectKey ? parent.Path : Join(parent.Path, parent.Key);
        }

        private static string Join(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

        private ManifestException Error(Mark at, string field, string problem) =>
            new(fileName, field.Length == 0 ? DocumentField : field, (int)at.Line, (int)at.Column, problem);

        private sealed class Frame(string path, HashSet<string>? keys)
        {
            public string Path { get; } = path;

            public HashSet<string>? Keys { get; } = keys;

            public bool ExpectKey { get; set; } = true;

            public string Key { get; set; } = "";

            public int Index { get; set; }
        }
    }
}
