using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cki.Workflow.Activities;

/// <summary>
/// The YAML front matter the Hugging Face Hub reads at the top of a model card: the library that loads the model,
/// tags, and the models it was made from. Every value is written as a JSON string, which YAML reads as a
/// double-quoted scalar, so names holding <c>:</c>, <c>#</c> or quotes stay plain strings.
/// </summary>
public static class ModelCardFrontMatter
{
    /// <summary>The tags every integrated model carries.</summary>
    public static IReadOnlyList<string> Tags { get; } = ["cki", "merge", "model-merging"];

    /// <summary>The front matter, from the opening <c>---</c> to the closing one, then a blank line.</summary>
    public static string Render(string libraryName, IEnumerable<string> baseModels)
    {
        ArgumentNullException.ThrowIfNull(baseModels);
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("---");
        text.AppendLine(c, $"library_name: {Quoted(libraryName)}");
        text.AppendLine("tags:");
        foreach (var tag in Tags)
        {
            text.AppendLine(c, $"- {Quoted(tag)}");
        }

        text.AppendLine("base_model:");
        foreach (var model in baseModels)
        {
            text.AppendLine(c, $"- {Quoted(model)}");
        }

        text.AppendLine("---");
        text.AppendLine();
        return text.ToString();
    }

    private static string Quoted(string value) => JsonSerializer.Serialize(value);
}
