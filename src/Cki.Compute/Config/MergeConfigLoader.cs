using System.Globalization;
using Cki.Compute.Merging;
using Cki.Compute.Method;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cki.Compute.Config;

/// <summary>
/// Reads <c>merge.yaml</c> into a <see cref="MergeConfig"/>: every key known, every value checked, and every
/// error naming the file, line and field. Relative model and output paths are taken from the file's folder.
/// </summary>
public static class MergeConfigLoader
{
    private static readonly string[] TopKeys =
        ["models", "method", "splice", "form", "tensors", "histogram", "output", "allow_non_finite", "seed", "base", "threshold",
         "lambda", "density", "a", "c", "max_shard_size", "hash_inputs", "task"];

    private static readonly string[] TaskKeys = ["name", "learning_rates", "epochs", "batch_size", "train_trunk", "bias", "scale"];

    private const long MaxConfigBytes = 1 << 20;

    /// <summary>Loads and validates a config file.</summary>
    public static MergeConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new ConfigException($"{path}: no such file.");
        }

        if (info.Length > MaxConfigBytes)
        {
            throw new ConfigException($"{path}: {info.Length} bytes; a merge config is at most {MaxConfigBytes}.");
        }

        return Parse(File.ReadAllText(path), path, Path.GetDirectoryName(Path.GetFullPath(path))!, p => File.Exists(p) || Directory.Exists(p));
    }

    /// <summary>
    /// Parses config text; <paramref name="baseFolder"/> anchors relative paths. With <paramref name="exists"/>, every
    /// local model path (and <c>base:</c>) must exist, or the error names its entry.
    /// </summary>
    public static MergeConfig Parse(string text, string file, string baseFolder, Func<string, bool>? exists = null)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{file}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            var (line, column, problem) = YamlErrorLocator.Locate(text);
            throw new ConfigException($"{file}:{line}:{column}: not valid YAML: {problem}.", e);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var at = stream.Documents.Count switch { 0 => "1:1", 1 => Position(stream.Documents[0].RootNode), _ => Position(stream.Documents[1].RootNode) };
            throw new ConfigException($"{file}:{at}: expected one YAML mapping of merge options{(stream.Documents.Count > 1 ? ", not several documents" : "")}.");
        }

        var reader = new Fields(file, root, TopKeys);
        var models = reader.StringList("models") ?? throw reader.Error(root, "models", "is required: a list of at least 2 checkpoints, model A first");
        if (models.Count < 2)
        {
            throw reader.Error(reader.Node("models")!, "models", $"lists {models.Count} model(s); integration needs at least 2");
        }

        var method = reader.String("method") ?? "global-only";
        if (!MergeMethods.Names.Contains(method))
        {
            throw reader.Error(reader.Node("method")!, "method", $"'{method}' is not one of {string.Join(", ", MergeMethods.Names)}");
        }

        var form = reader.Enum("form", CompatibilityForm.ExpSoftmax, ("exp-softmax", CompatibilityForm.ExpSoftmax), ("linear", CompatibilityForm.Linear));
        if (form == CompatibilityForm.Linear && models.Count > 2)
        {
            throw reader.Error(reader.Node("form")!, "form", $"'linear' is defined for two models only; there are {models.Count} (use exp-softmax)");
        }

        TaskConfig? task = null;
        if (reader.Node("task") is { } taskNode)
        {
            if (taskNode is not YamlMappingNode taskMap)
            {
                throw reader.Error(taskNode, "task", "must be a mapping with at least 'name'");
            }

            var t = new Fields(file, taskMap, TaskKeys, "task.");
            task = new TaskConfig
            {
                Name = t.String("name") ?? throw t.Error(taskMap, "name", "is required"),
                LearningRates = t.DoubleList("learning_rates", positive: true) ?? [1e-3, 1e-2],
                Epochs = t.Int("epochs", 10, min: 1),
                BatchSize = t.Node("batch_size") is null ? null : t.Int("batch_size", 1, min: 1),
                TrainTrunk = t.Bool("train_trunk", false),
                Bias = t.Node("bias") is null ? null : t.Bool("bias", false),
                Scale = t.Double("scale", 1.0, positive: true),
            };
        }

        if (MergeMethods.IsLearned(method) && task is null)
        {
            throw reader.Error(reader.Node("method")!, "task", $"is required: method '{method}' learns the local assessment and needs a 'task:' section");
        }

        var @base = reader.String("base");
        if (method is "task-arithmetic" or "ties" && @base is null)
        {
            throw reader.Error(root, "base", $"method '{method}' needs 'base:', the model the task vectors are taken against");
        }

        if (exists is not null)
        {
            EnsureExist(reader, "models", exists, baseFolder);
            EnsureExist(reader, "base", exists, baseFolder);
        }

        return new MergeConfig
        {
            Models = models.Select(m => Anchor(m, baseFolder)).ToList(),
            ConfigFolder = baseFolder,
            Method = method,
            Splice = reader.Enum("splice", SpliceMode.Soft, ("soft", SpliceMode.Soft), ("hard", SpliceMode.Hard)),
            Form = form,
            Tensors = Selection(reader),
            Histogram = reader.Enum("histogram", HistogramMode.Reference, ("reference", HistogramMode.Reference), ("closed", HistogramMode.Closed)),
            Output = Anchor(reader.String("output") ?? "merged.safetensors", baseFolder),
            AllowNonFinite = reader.Bool("allow_non_finite", false),
            Seed = reader.Int("seed", 0, min: 0),
            Base = @base is null ? null : Anchor(@base, baseFolder),
            Threshold = reader.Double("threshold", 0.02, positive: false),
            Lambda = reader.Double("lambda", 1.0, positive: false),
            Density = reader.Double("density", 0.2, positive: true, max: 1.0),
            A = reader.Double("a", GlobalInformation.DefaultAmplitude, positive: true, max: 1.0),
            C = reader.Double("c", GlobalInformation.DefaultSteepness, positive: true),
            MaxShardBytes = reader.Size("max_shard_size", 5L << 30),
            HashInputs = reader.Bool("hash_inputs", true),
            Task = task,
        };
    }

    private static TensorSelection Selection(Fields reader)
    {
        var node = reader.Node("tensors");
        return node switch
        {
            null => TensorSelection.All,
            YamlScalarNode { Value: "all" } => TensorSelection.All,
            YamlScalarNode { Value: "head" } => TensorSelection.Head,
            YamlSequenceNode => new TensorSelection("patterns", reader.StringList("tensors")!),
            _ => throw reader.Error(node, "tensors", "must be 'all', 'head' or a list of glob patterns"),
        };
    }

    // Every local path of a key (a list or one value) must exist; the error names the entry as written.
    private static void EnsureExist(Fields reader, string key, Func<string, bool> exists, string baseFolder)
    {
        var entries = reader.Node(key) switch
        {
            YamlSequenceNode seq => seq.Children.Select((node, i) => (Node: node, Name: $"{key}[{i}]")).ToList(),
            { } node => [(node, key)],
            null => [],
        };
        foreach (var (node, name) in entries)
        {
            var given = ((YamlScalarNode)node).Value!;
            if (!given.Contains("://", StringComparison.Ordinal) && !exists(Anchor(given, baseFolder)))
            {
                throw reader.EntryError(node, name, $"{given}: no such file or folder");
            }
        }
    }

    private static string Position(YamlNode node) => $"{node.Start.Line}:{node.Start.Column}";

    private static string Anchor(string location, string baseFolder) =>
        location.Contains("://", StringComparison.Ordinal) || Path.IsPathRooted(location) ? location : Path.GetFullPath(Path.Combine(baseFolder, location));

    /// <summary>Typed access to the keys of one mapping, with errors that name the file, line and key.</summary>
    private sealed class Fields
    {
        private readonly string _file;
        private readonly string _prefix;
        private readonly Dictionary<string, YamlNode> _values = new(StringComparer.Ordinal);

        public Fields(string file, YamlMappingNode map, string[] known, string prefix = "")
        {
            _file = file;
            _prefix = prefix;
            foreach (var (keyNode, value) in map.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
                if (!known.Contains(key))
                {
                    throw Error(keyNode, key, $"is not a known key (known: {string.Join(", ", known)})");
                }

                if (!_values.TryAdd(key, value))
                {
                    throw Error(keyNode, key, "appears twice");
                }
            }
        }

        public YamlNode? Node(string key) => _values.GetValueOrDefault(key);

        public ConfigException Error(YamlNode node, string key, string problem) =>
            new($"{_file}:{node.Start.Line}:{node.Start.Column}: {_prefix}{key} {problem}.");

        public ConfigException EntryError(YamlNode node, string entry, string problem) =>
            new($"{_file}:{node.Start.Line}:{node.Start.Column}: {_prefix}{entry}: {problem}.");

        public string? String(string key) => Node(key) switch
        {
            null => null,
            YamlScalarNode { Value: { Length: > 0 } value } => value,
            var other => throw Error(other, key, "must be a non-empty string"),
        };

        public List<string>? StringList(string key) => Node(key) switch
        {
            null => null,
            YamlSequenceNode seq => seq.Children.Select(c => c is YamlScalarNode { Value: { Length: > 0 } v } ? v : throw Error(c, key, "entries must be non-empty strings")).ToList(),
            var other => throw Error(other, key, "must be a list"),
        };

        public List<double>? DoubleList(string key, bool positive) => Node(key) switch
        {
            null => null,
            YamlSequenceNode seq => seq.Children.Select(c => ParseDouble(c, key, positive, double.MaxValue)).ToList(),
            var other => throw Error(other, key, "must be a list of numbers"),
        };

        public bool Bool(string key, bool fallback) => Node(key) switch
        {
            null => fallback,
            YamlScalarNode { Value: "true" } => true,
            YamlScalarNode { Value: "false" } => false,
            var other => throw Error(other, key, "must be true or false"),
        };

        public int Int(string key, int fallback, int min) => Node(key) switch
        {
            null => fallback,
            YamlScalarNode s when int.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min => v,
            var other => throw Error(other, key, $"must be an integer of at least {min}"),
        };

        public double Double(string key, double fallback, bool positive, double max = double.MaxValue) =>
            Node(key) is { } node ? ParseDouble(node, key, positive, max) : fallback;

        public long Size(string key, long fallback)
        {
            if (Node(key) is not { } node)
            {
                return fallback;
            }

            var text = (node as YamlScalarNode)?.Value?.Trim().ToUpperInvariant() ?? string.Empty;
            var (digits, unit) = text.EndsWith("GB", StringComparison.Ordinal) ? (text[..^2], 1L << 30)
                : text.EndsWith("MB", StringComparison.Ordinal) ? (text[..^2], 1L << 20)
                : text.EndsWith("KB", StringComparison.Ordinal) ? (text[..^2], 1L << 10) : (text, 1L);
            return double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && v * unit < long.MaxValue
                ? (long)(v * unit)
                : throw Error(node, key, "must be a size such as 2GB, 500MB or a byte count");
        }

        public T Enum<T>(string key, T fallback, params (string Name, T Value)[] choices) => Node(key) switch
        {
            null => fallback,
            YamlScalarNode s when choices.Any(c => c.Name == s.Value) => choices.First(c => c.Name == s.Value).Value,
            var other => throw Error(other, key, $"must be one of {string.Join(", ", choices.Select(c => c.Name))}"),
        };

        private double ParseDouble(YamlNode node, string key, bool positive, double max) =>
            node is YamlScalarNode s && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                && double.IsFinite(v) && (!positive || v > 0) && v <= max
                ? v
                : throw Error(node, key, positive ? $"must be a number above 0 and at most {max}" : "must be a finite number");
    }
}
