using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Cki.Contracts.Manifests;

/// <summary>
/// Reads and validates <c>merge.yaml</c>, the config of <c>cki-compute merge</c>: <c>models</c>, <c>output</c>,
/// <c>max_shard_size</c>, <c>hash_inputs</c>, a <c>task:</c> section with the assessment's options, and the merge
/// options at the top level, read by the same code and with the same rules as a family manifest's. Every problem is
/// a <see cref="ManifestException"/> naming the file, line, column and field.
/// </summary>
public static class MergeFileParser
{
    /// <summary>The largest merge.yaml accepted, in bytes.</summary>
    public const int MaxBytes = YamlDocumentReader.MaxBytes;

    // The keys of the file itself, beside the merge options; the options reader checks the rest of the top level.
    private static readonly IReadOnlyList<string> FileKeys = ["models", "output", "max_shard_size", "hash_inputs", "task"];

    /// <summary>The keys merge.yaml's top level may have.</summary>
    public static IReadOnlyList<string> TopLevelKeys { get; } = [.. FileKeys, .. MergeOptionsReader.Keys];

    private static readonly IReadOnlyList<string> TaskKeys = ["name", .. CandidateOptions.Keys];

    /// <summary>
    /// Parses <paramref name="text"/>, the content of <paramref name="fileName"/> (used in messages only). When given,
    /// <paramref name="locationProblem"/> checks every model and the base as written and says what is wrong (e.g.
    /// "no such file"), or null; the error then names the entry, such as <c>models[1]</c>.
    /// </summary>
    /// <exception cref="ManifestException">The file is not valid; the message says where and why.</exception>
    public static MergeSpec Parse(string text, string fileName, Func<string, string?>? locationProblem = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var values = new ManifestValueReader(fileName);
        var root = values.AnyMapping(YamlDocumentReader.Read(text, fileName), "", $"a mapping with keys {string.Join(", ", TopLevelKeys)}");
        new MergeOptionsReader(values, "").CheckUnknownKeys(root, hasTask: root.Find("task") is not null, FileKeys);
        var modelsNode = root.Find("models") ?? throw values.Error(root, "models", "required key 'models' is missing; expected a list of at least 2 checkpoints, model A first");
        var items = values.List(modelsNode, "models", "a list of at least 2 checkpoints, model A first");
        if (items.Count < 2)
        {
            throw values.Error(modelsNode, "models", string.Create(CultureInfo.InvariantCulture, $"expected at least 2 models to integrate, found {items.Count}"));
        }

        string Location(YamlNode node, string field)
        {
            var location = values.Text(node, field, "a path or URL of a checkpoint");
            return locationProblem?.Invoke(location) is { } problem ? throw values.Error(node, field, $"{location}: {problem}") : location;
        }

        var models = items.Select((item, i) => Location(item, string.Create(CultureInfo.InvariantCulture, $"models[{i}]"))).ToList();
        string? task = null;
        var candidates = new CandidateOptions();
        if (root.Find("task") is { } taskNode)
        {
            var section = values.Mapping(taskNode, "task", TaskKeys);
            task = section.Find("name") is { } name ? values.Text(name, "task.name", "the task's name") : throw values.Error(section, "task.name", "required key 'name' is missing; expected the task's name");
            candidates = new MergeOptionsReader(values, "task.").ReadCandidates(section);
        }

        return new MergeSpec
        {
            Models = models,
            Output = root.Find("output") is { } output ? values.Text(output, "output", "a .safetensors file or a folder") : MergeSpec.DefaultOutput,
            MaxShardBytes = root.Find("max_shard_size") is { } size ? Size(values, size) : MergeSpec.DefaultMaxShardBytes,
            HashInputs = root.Find("hash_inputs") is not { } hash || values.Boolean(hash, "hash_inputs"),
            Task = task,
            Merge = new MergeOptionsReader(values, "").Read(root, task is not null, "there is no 'task:' section", models.Count, Location, otherKeys: FileKeys),
            Candidates = candidates,
        };
    }

    // A size such as 2GB, 500MB, 64KB or a byte count.
    private static long Size(ManifestValueReader values, YamlNode node)
    {
        var text = (node as YamlScalarNode)?.Value?.Trim().ToUpperInvariant() ?? string.Empty;
        var (digits, unit) = text.EndsWith("GB", StringComparison.Ordinal) ? (text[..^2], 1L << 30)
            : text.EndsWith("MB", StringComparison.Ordinal) ? (text[..^2], 1L << 20)
            : text.EndsWith("KB", StringComparison.Ordinal) ? (text[..^2], 1L << 10) : (text, 1L);
        return double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && v * unit < long.MaxValue
            ? (long)(v * unit)
            : throw values.Error(node, "max_shard_size", $"expected a size such as 2GB, 500MB or a byte count, found {node.Describe()}");
    }
}
