using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Cki.Contracts.Manifests;

/// <summary>
/// Reads <see cref="MergeOptions"/> and <see cref="CandidateOptions"/> from a mapping, the one reader of both
/// options files: a family manifest's <c>merge:</c> and <c>candidates:</c> sections (fields <c>merge.method</c>, ...)
/// and merge.yaml's top level and <c>task:</c> section (fields <c>method</c>, <c>task.epochs</c>, ...).
/// </summary>
internal sealed class MergeOptionsReader(ManifestValueReader values, string prefix)
{
    /// <summary>The keys of the merge options: those every method takes, then the methods' declared parameters.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["method", "tensors", "seed", "allow_non_finite", .. MergeMethodNames.ParameterNames];

    private static readonly string[] SpliceNames = ["soft", "hard"];
    private static readonly string[] FormNames = ["exp-softmax", "linear"];
    private static readonly string[] HistogramNames = ["reference", "closed"];

    /// <summary>
    /// The merge options in <paramref name="mapping"/> (whose keys the caller has checked). <paramref name="noTask"/>
    /// says, for messages, why there is no task when <paramref name="hasTask"/> is false; <paramref name="readBase"/>
    /// reads <c>base</c> as that file writes it.
    /// </summary>
    /// <remarks>
    /// A parameter none of the methods used declares is an error (it would be ignored), unless it restates its
    /// default. The methods used are the merge method and <paramref name="alsoUsedBy"/>, the baselines a family
    /// manifest evaluates with these same options.
    /// </remarks>
    public MergeOptions Read(YamlMappingNode mapping, bool hasTask, string noTask, int modelCount, Func<YamlNode, string, string> readBase,
        IReadOnlyList<string>? alsoUsedBy = null)
    {
        var defaults = MergeOptions.DefaultsFor(hasTask);
        var methodNode = mapping.Find("method");
        var method = methodNode is null ? defaults.Method : values.OneOf(methodNode, Field("method"), MergeMethodNames.All);
        if (methodNode is not null && !hasTask && MergeMethodNames.IsLearned(method))
        {
            throw values.Error(methodNode, Field("method"),
                $"'{method}' learns the local assessment and needs a task with data, but {noTask}; " +
                $"expected a data-free method ({string.Join(", ", MergeMethodNames.DataFree)}) or a task");
        }

        var formNode = mapping.Find("form");
        var form = formNode is null ? defaults.Form : values.OneOf(formNode, Field("form"), FormNames);
        if (formNode is not null && form == "linear" && modelCount > 2)
        {
            throw values.Error(formNode, Field("form"),
                string.Create(CultureInfo.InvariantCulture, $"'linear' is defined for two models only, found {modelCount}; expected exp-softmax"));
        }

        var baseNode = mapping.Find("base");
        var baseModel = baseNode is null ? null : readBase(baseNode, Field("base"));
        if (baseModel is null && MergeMethodNames.NeedsBase(method))
        {
            throw values.Error(methodNode ?? mapping, Field("base"), $"method '{method}' needs a base model; expected {Field("base")}: the model the task vectors are taken against");
        }

        var options = new MergeOptions
        {
            Method = method,
            Splice = mapping.Find("splice") is { } splice ? values.OneOf(splice, Field("splice"), SpliceNames) : defaults.Splice,
            Form = form,
            Tensors = mapping.Find("tensors") is { } tensors ? ReadTensors(tensors) : defaults.Tensors,
            Histogram = mapping.Find("histogram") is { } histogram ? values.OneOf(histogram, Field("histogram"), HistogramNames) : defaults.Histogram,
            A = mapping.Find("a") is { } a ? values.Number(a, Field("a"), v => v is > 0 and <= 1, "a number in (0, 1]") : defaults.A,
            C = mapping.Find("c") is { } c ? values.Number(c, Field("c"), v => v > 0, "a number > 0") : defaults.C,
            AllowNonFinite = mapping.Find("allow_non_finite") is { } allow ? values.Boolean(allow, Field("allow_non_finite")) : defaults.AllowNonFinite,
            Seed = mapping.Find("seed") is { } seed ? values.Integer(seed, Field("seed"), 0, int.MaxValue) : defaults.Seed,
            Base = baseModel,
            Threshold = mapping.Find("threshold") is { } threshold ? values.Number(threshold, Field("threshold"), v => v >= 0, "a number >= 0") : defaults.Threshold,
            Lambda = mapping.Find("lambda") is { } lambda ? values.Number(lambda, Field("lambda"), _ => true, "a number") : defaults.Lambda,
            Density = mapping.Find("density") is { } density ? values.Number(density, Field("density"), v => v is > 0 and <= 1, "a number in (0, 1]") : defaults.Density,
        };

        // Every value is valid; now whether each is used.
        var users = new[] { method }.Concat((alsoUsedBy ?? []).Where(MergeMethodNames.Parameters.ContainsKey)).Distinct().ToList();
        var declared = users.SelectMany(m => MergeMethodNames.Parameters[m]).Select(p => p.Name).Distinct().ToList();
        foreach (var (key, _) in mapping.Children)
        {
            var name = key.KeyText();
            if (MergeMethodNames.ParameterNames.Contains(name) && !declared.Contains(name) && !RestatesDefault(name, mapping.Find(name)!))
            {
                var whose = users.Count == 1 ? $"method '{method}'" : $"method '{method}' or of the baselines {string.Join(", ", users.Skip(1))}";
                throw values.Error(key, Field(name),
                    $"'{name}' is not a parameter of {whose} and would be ignored; parameters in use: {(declared.Count == 0 ? "none" : string.Join(", ", declared))}");
            }
        }

        return options;
    }

    /// <summary>The learned assessment's options in <paramref name="mapping"/> (whose keys the caller has checked).</summary>
    public CandidateOptions ReadCandidates(YamlMappingNode mapping)
    {
        var defaults = new CandidateOptions();
        return new CandidateOptions
        {
            LearningRates = mapping.Find("learning_rates") is { } rates ? ReadLearningRates(rates) : defaults.LearningRates,
            Epochs = mapping.Find("epochs") is { } epochs ? values.Integer(epochs, Field("epochs"), 1, 1000) : defaults.Epochs,
            BatchSize = mapping.Find("batch_size") is { } batch ? values.Integer(batch, Field("batch_size"), 1, int.MaxValue) : null,
            TrainTrunk = mapping.Find("train_trunk") is { } trunk ? values.Boolean(trunk, Field("train_trunk")) : defaults.TrainTrunk,
            Bias = mapping.Find("bias") is { } bias ? values.Boolean(bias, Field("bias")) : null,
            Scale = mapping.Find("scale") is { } scale ? values.Number(scale, Field("scale"), v => v > 0, "a number > 0") : defaults.Scale,
        };
    }

    private string Field(string key) => prefix + key;

    private static bool RestatesDefault(string parameter, YamlNode value)
    {
        var fallback = MergeMethodNames.Parameters.Values.SelectMany(p => p).First(p => p.Name == parameter).Default;
        return value is YamlScalarNode { Value: { } text } && fallback is not null
            && (text == fallback
                || (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var given)
                    && double.TryParse(fallback, NumberStyles.Float, CultureInfo.InvariantCulture, out var expected) && given == expected));
    }

    private List<double> ReadLearningRates(YamlNode node)
    {
        var field = Field("learning_rates");
        var items = values.List(node, field, "a list of 1 to 16 learning rates > 0");
        if (items.Count is < 1 or > 16)
        {
            throw values.Error(node, field, string.Create(CultureInfo.InvariantCulture, $"expected 1 to 16 learning rates, found {items.Count}"));
        }

        return [.. items.Select((item, i) => values.Number(item, string.Create(CultureInfo.InvariantCulture, $"{field}[{i}]"), v => v > 0, "a learning rate > 0"))];
    }

    private TensorSelection ReadTensors(YamlNode node)
    {
        var field = Field("tensors");
        const string Expected = "head, all or a list of glob patterns over tensor names";
        if (node is YamlSequenceNode)
        {
            var items = values.List(node, field, Expected);
            if (items.Count == 0)
            {
                throw values.Error(node, field, $"expected {Expected}, found an empty list");
            }

            return TensorSelection.FromPatterns(
                [.. items.Select((item, i) => values.Text(item, string.Create(CultureInfo.InvariantCulture, $"{field}[{i}]"), "a glob pattern over tensor names"))]);
        }

        return values.Text(node, field, Expected) switch
        {
            TensorSelection.HeadMode => TensorSelection.Head,
            TensorSelection.AllMode => TensorSelection.All,
            _ => throw values.Error(node, field, $"expected {Expected}, found {node.Describe()}"),
        };
    }
}
