using Cki.Contracts.Manifests;
using Cki.Testing;

namespace Cki.Contracts.Tests.Manifests;

/// <summary>docs/method.md's tables of methods and options say what the descriptors declare.</summary>
public sealed class MergeMethodDocsTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "docs", "method.md"));

    [Fact]
    public void MethodsTable_ListsEveryMethodWithWhatItNeeds()
    {
        var rows = Table("| method | needs |").Where(r => !r[0].Contains("(evaluation only)", StringComparison.Ordinal)).ToList();

        Assert.Equal(MergeMethods.Names, rows.Select(r => Code(r[0])));
        foreach (var row in rows)
        {
            var method = MergeMethods.Named(Code(row[0]));
            var needs = method.NeedsData ? "task data" : method.NeedsBase ? "`base`" : "nothing";
            Assert.True(needs == row[1], $"docs/method.md says {method.Name} needs {row[1]}; its descriptor says {needs}");
        }
    }

    [Fact]
    public void OptionsTable_GivesEveryParameterItsValuesAndDefault()
    {
        var rows = Table("| option | values |").ToDictionary(r => Code(r[0].Split(' ')[0]), StringComparer.Ordinal);

        Assert.Equal(string.Join(", ", MergeMethods.Names.Select(n => $"`{n}`")), rows["method"][1]);
        foreach (var parameter in MergeParameters.All)
        {
            var row = rows[parameter.Name];
            var values = parameter.Kind switch
            {
                MergeParameterKind.Choice => string.Join(", ", parameter.Choices.Select(c => $"`{c}`")),
                MergeParameterKind.Number => parameter.Range.Formula(parameter.Name),
                _ => "a checkpoint",
            };
            Assert.True(values == row[1].Replace("`", "", StringComparison.Ordinal) || values == row[1], $"docs/method.md gives {parameter.Name} the values {row[1]}; its descriptor {values}");
            foreach (var written in row[2..])
            {
                Assert.True(parameter.Required ? written.StartsWith("required", StringComparison.Ordinal) : parameter.IsDefault(Code(written)),
                    $"docs/method.md gives {parameter.Name} the default {written}; its descriptor {parameter.Default ?? "none (required)"}");
            }
        }
    }

    [Fact]
    public void OptionsTable_NamesTheMethodsOfEachParameterItQualifies()
    {
        foreach (var row in Table("| option | values |").Where(r => r[0].Contains(" (", StringComparison.Ordinal)))
        {
            var name = Code(row[0].Split(' ')[0]);
            var methods = row[0][(row[0].IndexOf('(', StringComparison.Ordinal) + 1)..^1];
            var declaring = MergeMethods.All.Where(m => m.Declares(name)).Select(m => m.Name).ToList();
            Assert.True(methods == "pruning" ? declaring.All(m => m.StartsWith("prune-", StringComparison.Ordinal)) : methods == string.Join(", ", declaring),
                $"docs/method.md says {name} is for {methods}; it is declared by {string.Join(", ", declaring)}");
        }
    }

    // The cells of the rows of the table whose header starts with headerStart.
    private static IEnumerable<string[]> Table(string headerStart) =>
        Lines.SkipWhile(l => !l.StartsWith(headerStart, StringComparison.Ordinal)).Skip(2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Trim('|').Split(" | ").Select(c => c.Trim()).ToArray());

    private static string Code(string cell) => cell.Trim('`').Trim();
}
