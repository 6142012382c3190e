using Cki.Contracts.Manifests;

namespace Cki.Contracts.Tests.Manifests;

public class FamilyManifestMutationTests
{
    private static readonly string[] Snippets =
    [
        "&a ", "*a", "!!str ", "|", ">", "{", "}", "[", "]", ",", "'", "\"", "\\", "\\u12", "\\U0011FFFF", "\t", "\r", "\0",
        "\u0085", "\uD800", "\uFEFF", "---\n", "...\n", "? ", ": ", "- ", "-", "#", " #", "%", "@", "`", "\n", "  ", "    ", "é",
        "1e400", "-0", "nan", "''", "\"\\\"", "a: b: c", "[a, [b]]", "\n- x", "\n  k: v", "merge:", "task: none", "ties",
    ];

    [Fact]
    public void Parse_RandomMutationsOfAValidManifest_EitherParseOrThrowManifestException()
    {
        var random = new Random(20_250_101);
        var parsed = 0;
        var rejected = 0;
        for (var i = 0; i < 2_000; i++)
        {
            var text = ManifestSamples.Full;
            var edits = random.Next(1, 4);
            for (var e = 0; e < edits; e++)
            {
                text = Mutate(text, random);
            }

            try
            {
                FamilyManifestParser.Parse(text, "m");
                parsed++;
            }
            catch (ManifestException error)
            {
                Assert.True(error.Line >= 1 && error.Column >= 1, $"mutation {i}: position {error.Line}:{error.Column} in {error.Message}");
                Assert.StartsWith($"m:{error.Line}:{error.Column}: {error.Field}: ", error.Message, StringComparison.Ordinal);
                rejected++;
            }
#pragma warning disable CA1031 // Any other exception is the failure this test looks for.
            catch (Exception error)
#pragma warning restore CA1031
            {
                Assert.Fail($"mutation {i} threw {error.GetType().Name}: {error.Message}\n--- text ---\n{text}");
            }
        }

        // Both outcomes occur, so the mutations neither always break the manifest nor never reach the parser's rules.
        Assert.True(parsed > 0 && rejected > 0, $"parsed {parsed}, rejected {rejected}");
    }

    private static string Mutate(string text, Random random)
    {
        if (text.Length == 0)
        {
            return Snippets[random.Next(Snippets.Length)];
        }

        var at = random.Next(text.Length);
        var lines = text.Split('\n').ToList();
        var line = random.Next(lines.Count);
        switch (random.Next(7))
        {
            case 0:
                return text.Remove(at, Math.Min(random.Next(1, 4), text.Length - at));
            case 1:
                return text.Insert(at, Snippets[random.Next(Snippets.Length)]);
            case 2:
                return text.Remove(at, 1).Insert(at, ((char)random.Next(0x20, 0x7F)).ToString());
            case 3:
                lines.Insert(line, lines[line]);
                return string.Join('\n', lines);
            case 4:
                lines.RemoveAt(line);
                return string.Join('\n', lines);
            case 5:
                lines[line] = random.Next(2) == 0 ? " " + lines[line] : lines[line].TrimStart();
                return string.Join('\n', lines);
            default:
                var other = random.Next(lines.Count);
                (lines[line], lines[other]) = (lines[other], lines[line]);
                return string.Join('\n', lines);
        }
    }
}
