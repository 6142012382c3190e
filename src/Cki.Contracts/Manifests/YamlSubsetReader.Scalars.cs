using System.Globalization;
using System.Text;

namespace Cki.Contracts.Manifests;

/// <summary>Values on one line: plain and quoted scalars, and flow lists of scalars.</summary>
internal sealed partial class YamlSubsetReader
{
    private (YamlSubsetNode Value, int End) ParseInlineValue(SourceLine line, int start, int level, string path)
    {
        var text = line.Text;
        if (text[start] == '[')
        {
            return ParseFlowSequence(line, start, level, path);
        }

        var (scalar, end) = ReadScalar(line, start, path, inFlow: false);
        CountNode(line, start, path);
        return (scalar, end);
    }

    private (YamlSubsetSequence Value, int End) ParseFlowSequence(SourceLine line, int start, int level, string path)
    {
        CheckDepth(line, start, level, path);
        var sequence = new YamlSubsetSequence(line.Number, start + 1);
        CountNode(line, start, path);
        var text = line.Text;
        var p = SkipSpaces(text, start + 1);
        if (p < text.Length && text[p] == ']')
        {
            return (sequence, p + 1);
        }

        while (true)
        {
            if (IsLineEnd(text, p))
            {
                throw Error(line, start, path, "unclosed flow list: the closing ']' must be on the same line");
            }

            var itemPath = string.Create(CultureInfo.InvariantCulture, $"{path}[{sequence.Items.Count}]");
            if (text[p] == ',')
            {
                throw Error(line, p, itemPath, "empty list item (two commas, or a comma right after '[')");
            }

            if (text[p] == '[')
            {
                throw Error(line, p, itemPath, "nested flow lists are not supported");
            }

            var (item, end) = ReadScalar(line, p, itemPath, inFlow: true);
            CountNode(line, p, itemPath);
            sequence.Add(item);
            p = SkipSpaces(text, end);
            if (p < text.Length && text[p] == ',')
            {
                // A trailing comma before ']' is allowed, as YAML allows it.
                p = SkipSpaces(text, p + 1);
                if (p < text.Length && text[p] == ']')
                {
                    return (sequence, p + 1);
                }

                continue;
            }

            if (p < text.Length && text[p] == ']')
            {
                return (sequence, p + 1);
            }

            if (IsLineEnd(text, p))
            {
                throw Error(line, start, path, "unclosed flow list: the closing ']' must be on the same line");
            }

            throw Error(line, p, itemPath, $"expected ',' or ']' after the item, found '{text[p]}'");
        }
    }

    private (YamlSubsetScalar Value, int End) ReadScalar(SourceLine line, int start, string path, bool inFlow)
    {
        if (line.Text[start] is '"' or '\'')
        {
            var (quoted, end) = ReadQuoted(line, start, path);
            return (new YamlSubsetScalar(line.Number, start + 1, quoted, isQuoted: true), end);
        }

        CheckPlainStart(line, start, path, inFlow);
        var (plain, plainEnd) = ReadPlain(line, start, path, inFlow);
        return (new YamlSubsetScalar(line.Number, start + 1, plain, isQuoted: false), plainEnd);
    }

    /// <summary>Rejects a plain value that starts with a YAML indicator this subset does not support.</summary>
    private void CheckPlainStart(SourceLine line, int start, string path, bool inFlow)
    {
        var text = line.Text;
        var c = text[start];
        var next = start + 1 < text.Length ? text[start + 1] : ' ';
        var separated = next == ' ' || (inFlow && next is ',' or ']');
        var problem = c switch
        {
            '&' => "anchors ('&') are not supported",
            '*' => "aliases ('*') are not supported",
            '!' => "tags ('!') are not supported",
            '|' or '>' => "block scalars ('|', '>') are not supported; write the value on one line, quoted if needed",
            '{' or '}' => "flow mappings ('{ }') are not supported; use an indented block mapping",
            '[' => "a list cannot be a key or sit inside a value",
            ']' or ',' => $"unexpected '{c}'",
            '#' => "'#' cannot start a value; quote the value",
            '%' => "directives ('%') are not supported",
            '@' or '`' => $"'{c}' is reserved and cannot start a value; quote the value",
            '-' when separated => "a list item '- ' cannot start here; put list items on their own lines",
            '?' when separated => "complex keys ('? ') are not supported",
            ':' when separated => "a key is missing before ':'",
            _ => null,
        };
        if (problem is not null)
        {
            throw Error(line, start, path, problem);
        }
    }

    private (string Value, int End) ReadPlain(SourceLine line, int start, string path, bool inFlow)
    {
        var text = line.Text;
        var i = start;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '#' && i > start && text[i - 1] == ' ')
            {
                break;
            }

            if (inFlow && c is ',' or '[' or ']' or '{' or '}')
            {
                break;
            }

            if (c == ':' && (i + 1 == text.Length || text[i + 1] == ' ' || (inFlow && text[i + 1] is ',' or ']')))
            {
                throw Error(line, i, path,
                    "': ' is not allowed inside a plain value (a nested mapping must start on its own line); quote the value if the colon belongs to it");
            }
        }

        return (text[start..i].TrimEnd(' '), i);
    }

    /// <summary>A single- or double-quoted scalar that ends on its line; returns the index after the closing quote.</summary>
    private (string Value, int End) ReadQuoted(SourceLine line, int start, string path)
    {
        var text = line.Text;
        var quote = text[start];
        var value = new StringBuilder();
        var i = start + 1;
        while (true)
        {
            if (i >= text.Length)
            {
                throw Error(line, start, path, "unterminated quoted value; the closing quote must be on the same line");
            }

            var c = text[i];
            if (c == quote)
            {
                if (quote == '\'' && i + 1 < text.Length && text[i + 1] == '\'')
                {
                    value.Append('\'');
                    i += 2;
                    continue;
                }

                return (value.ToString(), i + 1);
            }

            if (quote == '"' && c == '\\')
            {
                i = ReadEscape(line, i, path, value);
                continue;
            }

            value.Append(c);
            i++;
        }
    }

    /// <summary>Appends the escape at <paramref name="backslash"/> and returns the index after it.</summary>
    private int ReadEscape(SourceLine line, int backslash, string path, StringBuilder value)
    {
        var text = line.Text;
        if (backslash + 1 >= text.Length)
        {
            throw Error(line, backslash, path, "unterminated quoted value; the closing quote must be on the same line");
        }

        var simple = text[backslash + 1] switch
        {
            '\\' => "\\",
            '"' => "\"",
            '/' => "/",
            ' ' => " ",
            '0' => "\0",
            'a' => "\a",
            'b' => "\b",
            't' => "\t",
            'n' => "\n",
            'v' => "\v",
            'f' => "\f",
            'r' => "\r",
            'e' => "\u001B",
            _ => null,
        };
        if (simple is not null)
        {
            value.Append(simple);
            return backslash + 2;
        }

        var digits = text[backslash + 1] switch { 'x' => 2, 'u' => 4, 'U' => 8, _ => 0 };
        if (digits == 0)
        {
            throw Error(line, backslash, path,
                $"unknown escape '\\{text[backslash + 1]}'; expected one of \\\\ \\\" \\/ \\0 \\a \\b \\t \\n \\v \\f \\r \\e \\xHH \\uHHHH \\UHHHHHHHH");
        }

        var hexStart = backslash + 2;
        if (hexStart + digits > text.Length
            || !uint.TryParse(text.AsSpan(hexStart, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
        {
            throw Error(line, backslash, path,
                string.Create(CultureInfo.InvariantCulture, $"escape '\\{text[backslash + 1]}' needs {digits} hex digits"));
        }

        if (digits < 8)
        {
            value.Append((char)code);
        }
        else if (code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF)
        {
            throw Error(line, backslash, path, string.Create(CultureInfo.InvariantCulture, $"escape '\\U{code:X8}' is not a Unicode scalar value"));
        }
        else
        {
            value.Append(char.ConvertFromUtf32((int)code));
        }

        return hexStart + digits;
    }
}
