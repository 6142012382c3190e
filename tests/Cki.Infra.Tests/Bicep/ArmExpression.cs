using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Cki.Infra.Tests.Bicep;

/// <summary>
/// Evaluates the part of the ARM template language that names and tags are written in (<c>parameters</c>,
/// <c>variables</c>, <c>union</c>, <c>createObject</c>, <c>concat</c>, <c>format</c>, <c>toLower</c>, literals, member
/// access), the way Azure Resource Manager would at deployment: a module's parameter is its parent's expression
/// evaluated in the parent, a root parameter is the value the test gives or its default. Any other function is not
/// known to a test (it would need Azure: <c>reference</c>, <c>resourceId</c>, <c>uniqueString</c>) and throws.
/// </summary>
public static class ArmExpression
{
    /// <summary>A node of a template with every expression string in it evaluated in <paramref name="module"/>.</summary>
    public static JsonNode? Evaluate(JsonNode? node, ArmModule module, IReadOnlyDictionary<string, JsonNode?> rootParameters) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Evaluate(p.Value, module, rootParameters)))),
        JsonArray array => new JsonArray([.. array.Select(n => Evaluate(n, module, rootParameters))]),
        JsonValue value when value.TryGetValue<string>(out var text) && IsExpression(text) =>
            new Parser(text[1..^1], module, rootParameters).ParseWhole(),
        JsonValue value when value.TryGetValue<string>(out var text) => JsonValue.Create(text.StartsWith("[[", StringComparison.Ordinal) ? text[1..] : text),
        null => null,
        _ => node.DeepClone(),
    };

    private static bool IsExpression(string text) =>
        text.StartsWith('[') && text.EndsWith(']') && !text.StartsWith("[[", StringComparison.Ordinal);

    private sealed class Parser(string text, ArmModule module, IReadOnlyDictionary<string, JsonNode?> roots)
    {
        private int _at;

        public JsonNode? ParseWhole()
        {
            var value = ParseValue();
            SkipSpace();
            return _at == text.Length ? value : throw new FormatException($"unexpected '{text[_at..]}' in [{text}]");
        }

        private JsonNode? ParseValue()
        {
            SkipSpace();
            var value = text[_at] switch
            {
                '\'' => JsonValue.Create(ParseString()),
                var c when char.IsDigit(c) || c == '-' => JsonValue.Create(ParseNumber()),
                _ => ParseCall(),
            };
            while (_at < text.Length && text[_at] is '.' or '[')
            {
                if (text[_at++] == '.')
                {
                    var member = ParseName();
                    value = value is JsonObject obj ? obj[member]?.DeepClone() : throw new FormatException($"no member {member} in [{text}]");
                }
                else
                {
                    var index = ParseValue();
                    Expect(']');
                    value = value switch
                    {
                        JsonObject obj => obj[(string)index!]?.DeepClone(),
                        JsonArray array => array[(int)index!]?.DeepClone(),
                        _ => throw new FormatException($"cannot index [{text}]"),
                    };
                }
            }

            return value;
        }

        private JsonNode? ParseCall()
        {
            var name = ParseName();
            Expect('(');
            var args = new List<JsonNode?>();
            SkipSpace();
            while (text[_at] != ')')
            {
                args.Add(ParseValue());
                SkipSpace();
                if (text[_at] == ',')
                {
                    _at++;
                }
            }

            _at++;
            return Call(name, args);
        }

        private JsonNode? Call(string name, List<JsonNode?> args) => name.ToLowerInvariant() switch
        {
            "parameters" => Parameter((string)args[0]!),
            "variables" => Evaluate(module.Template["variables"]?[(string)args[0]!] ?? throw new KeyNotFoundException($"variable {args[0]}"), module, roots),
            "createobject" => new JsonObject(args.Chunk(2).Select(p => KeyValuePair.Create((string)p[0]!, p[1]?.DeepClone()))),
            "union" => Union(args),
            "concat" => args.All(a => a is JsonArray)
                ? new JsonArray([.. args.SelectMany(a => a!.AsArray()).Select(n => n?.DeepClone())])
                : JsonValue.Create(string.Concat(args.Select(Text))),
            "format" => JsonValue.Create(string.Format(CultureInfo.InvariantCulture, (string)args[0]!, [.. args.Skip(1).Select(Text)])),
            "tolower" => JsonValue.Create(Text(args[0]).ToLowerInvariant()),
            "string" => JsonValue.Create(Text(args[0])),
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            "null" => null,
            _ => throw new NotSupportedException($"{name}() cannot be evaluated offline (in [{text}])"),
        };

        private static JsonObject Union(List<JsonNode?> args)
        {
            var result = new JsonObject();
            foreach (var arg in args)
            {
                foreach (var (key, value) in arg!.AsObject())
                {
                    result[key] = value?.DeepClone();
                }
            }

            return result;
        }

        // A module's parameter: what its parent passes (evaluated in the parent), else its default; a root parameter: the test's value, else its default.
        private JsonNode? Parameter(string name)
        {
            if (module.Parent is { } parent && module.Parameters[name] is JsonObject passed && passed.ContainsKey("value"))
            {
                return Evaluate(passed["value"], parent, roots);
            }

            if (module.Parent is null && roots.TryGetValue(name, out var given))
            {
                return given?.DeepClone();
            }

            return module.Template["parameters"]?[name]?["defaultValue"] is { } fallback
                ? Evaluate(fallback, module, roots)
                : throw new KeyNotFoundException($"parameter {name} of module {module.Name} has no value");
        }

        private static string Text(JsonNode? node) => node switch
        {
            null => "",
            JsonValue value when value.TryGetValue<string>(out var s) => s,
            _ => node.ToJsonString(),
        };

        private string ParseString()
        {
            var builder = new StringBuilder();
            _at++;
            while (true)
            {
                if (text[_at] == '\'')
                {
                    if (_at + 1 < text.Length && text[_at + 1] == '\'')
                    {
                        builder.Append('\'');
                        _at += 2;
                        continue;
                    }

                    _at++;
                    return builder.ToString();
                }

                builder.Append(text[_at++]);
            }
        }

        private long ParseNumber()
        {
            var start = _at++;
            while (_at < text.Length && char.IsDigit(text[_at]))
            {
                _at++;
            }

            return long.Parse(text[start.._at], CultureInfo.InvariantCulture);
        }

        private string ParseName()
        {
            var start = _at;
            while (_at < text.Length && (char.IsLetterOrDigit(text[_at]) || text[_at] == '_'))
            {
                _at++;
            }

            return text[start.._at];
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (text[_at++] != c)
            {
                throw new FormatException($"expected '{c}' at {_at - 1} in [{text}]");
            }
        }

        private void SkipSpace()
        {
            while (_at < text.Length && text[_at] == ' ')
            {
                _at++;
            }
        }
    }
}
