using System.Globalization;

namespace Cki.Contracts.Manifests;

/// <summary>Splitting the text into significant lines, and the line-level tests the block parser relies on.</summary>
internal sealed partial class YamlSubsetReader
{
    /// <summary>A line with content: its 1-based number, its text and where its content starts (its indentation).</summary>
    private readonly record struct SourceLine(int Number, string Text, int Start);

    /// <summary>
    /// The lines that carry content: blank and comment-only lines are dropped, a leading <c>---</c> is accepted,
    /// tabs, control characters and further document markers are errors.
    /// </summary>
    private static List<SourceLine> SplitLines(string text, string blobName)
    {
        var lines = new List<SourceLine>();
        var offset = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        var number = 0;
        var sawStart = false;
        while (true)
        {
            number++;
            var newline = text.IndexOf('\n', offset);
            var end = newline < 0 ? text.Length : newline;
            var raw = text[offset..end];
            if (raw.EndsWith('\r'))
            {
                raw = raw[..^1];
            }

            CheckCharacters(raw, number, blobName);
            var start = SkipSpaces(raw, 0);
            if (start < raw.Length && raw[start] != '#')
            {
                if (start == 0 && IsMarker(raw, "---"))
                {
                    if (lines.Count > 0 || sawStart)
                    {
                        throw new ManifestException(blobName, DocumentField, number, 1,
                            "a second document ('---') is not supported; a manifest is one document");
                    }

                    if (!IsLineEnd(raw, 3))
                    {
                        throw new ManifestException(blobName, DocumentField, number, 5,
                            "content on the '---' line is not supported; start the manifest on the next line");
                    }

                    sawStart = true;
                }
                else if (start == 0 && IsMarker(raw, "..."))
                {
                    throw new ManifestException(blobName, DocumentField, number, 1,
                        "the document end marker '...' is not supported; a manifest is one document");
                }
                else
                {
                    lines.Add(new SourceLine(number, raw, start));
                }
            }

            if (newline < 0)
            {
                return lines;
            }

            offset = newline + 1;
        }
    }

    private static void CheckCharacters(string raw, int number, string blobName)
    {
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\t')
            {
                throw new ManifestException(blobName, DocumentField, number, i + 1,
                    "a tab character; indent and separate with spaces only");
            }

            if (char.IsControl(raw[i]))
            {
                throw new ManifestException(blobName, DocumentField, number, i + 1,
                    string.Create(CultureInfo.InvariantCulture, $"control character U+{(int)raw[i]:X4} is not allowed"));
            }
        }
    }

    private static bool IsMarker(string raw, string marker) =>
        raw.StartsWith(marker, StringComparison.Ordinal) && (raw.Length == marker.Length || raw[marker.Length] == ' ');

    private static bool IsSequenceItem(SourceLine line) =>
        line.Text[line.Start] == '-' && (line.Start + 1 == line.Text.Length || line.Text[line.Start + 1] == ' ');

    /// <summary>True when only spaces and perhaps a comment follow <paramref name="index"/>.</summary>
    private static bool IsLineEnd(string text, int index)
    {
        var p = SkipSpaces(text, index);
        return p >= text.Length || (text[p] == '#' && p > 0 && text[p - 1] == ' ');
    }

    private static int SkipSpaces(string text, int index)
    {
        while (index < text.Length && text[index] == ' ')
        {
            index++;
        }

        return index;
    }

    private void ExpectLineEnd(SourceLine line, int end, string path)
    {
        if (!IsLineEnd(line.Text, end))
        {
            var at = SkipSpaces(line.Text, end);
            var rest = line.Text[at..];
            throw Error(line, at, path, $"unexpected text after the value: '{(rest.Length > 20 ? rest[..20] + "..." : rest)}'");
        }
    }

    /// <summary>
    /// Whether the line is <c>key: ...</c>; the key is a plain or quoted scalar followed by a colon and a space (or
    /// the end of the line). A line starting a flow list is never a key line.
    /// </summary>
    private bool TryFindKey(SourceLine line, string path, out YamlSubsetScalar key, out int afterColon)
    {
        var text = line.Text;
        var start = line.Start;
        key = null!;
        afterColon = 0;
        if (text[start] is '[' or '{')
        {
            return false;
        }

        if (text[start] is '"' or '\'')
        {
            var (value, end) = ReadQuoted(line, start, path);
            var colon = SkipSpaces(text, end);
            if (!IsColon(text, colon))
            {
                return false;
            }

            key = new YamlSubsetScalar(line.Number, start + 1, value, isQuoted: true);
            afterColon = colon + 1;
            return true;
        }

        for (var i = start; i < text.Length; i++)
        {
            if (text[i] == '#' && i > start && text[i - 1] == ' ')
            {
                return false;
            }

            if (IsColon(text, i))
            {
                var value = text[start..i].TrimEnd(' ');
                if (value.Length == 0)
                {
                    throw Error(line, start, path, "a key is missing before ':'");
                }

                CheckPlainStart(line, start, path, inFlow: false);
                key = new YamlSubsetScalar(line.Number, start + 1, value, isQuoted: false);
                afterColon = i + 1;
                return true;
            }
        }

        return false;
    }

    private static bool IsColon(string text, int index) =>
        index < text.Length && text[index] == ':' && (index + 1 == text.Length || text[index + 1] == ' ');
}
