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
    /// <summary>The keys of the merge options: those every method takes, then every method's parameters.</summary>
    public static IReadOnlyList<string> Keys { get; } = [.. MergeMethods.CommonOptions, .. MergeParameters.All.Select(p => p.Name)];

    /// <summary>
    /// The merge options in <paramref name="mapping"/>, whose keys besides <paramref name="otherKeys"/> (those the
    /// file keeps beside the options) must be merge options. <paramref name="noTask"/> says, for messages, why there
    /// is no task when <paramref name="hasTask"/> is false; <paramref name="readBase"/> reads <c>base</c> as that
    /// file writes it.
    /// </summary>
    /// <remarks>
    /// A parameter none of the methods used declares is an error (it would be ignored), unless it restates its
    /// default. The methods used are the merge method and <paramref name="alsoUsedBy"/>, the baselines a family
    /// manifest evaluates with these same options.
    /// </remarks>
    public MergeOptions Read(YamlMappingNode mapping, bool hasTask, string noTask, int modelCount, Func<YamlNode, string, string> readBase,
        IReadOnlyList<string>? alsoUsedBy = null, IReadOnlyList<string>? otherKeys = null)
    {
        var defaults = MergeOptions.DefaultsFor(hasTask);
        var methodNode = mapping.Find("method");
        var users = MethodsInUse(mapping, hasTask, alsoUsedBy);
        var method = users[0];
        CheckKeys(mapping, users, otherKeys ?? [], unknownOnly: true);
        if (methodNode is not null && !hasTask && method.NeedsData)
        {
            throw values.Error(methodNode, Field("method"),
                $"'{method.Name}' learns the local assessment and needs a task with data, but {noTask}; " +
                $"expected a data-free method ({string.Join(", ", MergeMethods.DataFreeNames)}) or a task");
        }

        var formNode = mapping.Find(MergeParameters.Form.Name);
        var form = Choice(mapping, MergeParameters.Form);
        if (formNode is not null && form == "linear" && modelCount > 2)
        {
            throw values.Error(formNode, Field("form"),
                string.Create(CultureInfo.InvariantCulture, $"'linear' is defined for two models only, found {modelCount}; expected exp-softmax"));
        }

        var baseNode = mapping.Find(MergeParameters.Base.Name);
        var baseModel = baseNode is null ? null : readBase(baseNode, Field(MergeParameters.Base.Name));
        if (baseModel is null && method.NeedsBase)
        {
            throw values.Error(methodNode ?? mapping, Field("base"), $"method '{method.Name}' needs a base model; expected {Field("base")}: {MergeParameters.Base.Description}");
        }

        var options = new MergeOptions
        {
            Method = method.Name,
            Splice = Choice(mapping, MergeParameters.Splice),
            Form = form,
            Tensors = mapping.Find("tensors") is { } tensors ? ReadTensors(tensors) : defaults.Tensors,
            Histogram = Choice(mapping, MergeParameters.Histogram),
            A = Number(mapping, MergeParameters.Amplitude),
            C = Number(mapping, MergeParameters.Steepness),
            AllowNonFinite = mapping.Find("allow_non_finite") is { } allow ? values.Boolean(allow, Field("allow_non_finite")) : defaults.AllowNonFinite,
            Seed = mapping.Find("seed") is { } seed ? values.Integer(seed, Field("seed"), 0, int.MaxValue) : defaults.Seed,
            Base = baseModel,
            Threshold = Number(mapping, MergeParameters.Threshold),
            Lambda = Number(mapping, MergeParameters.Lambda),
            Density = Number(mapping, MergeParameters.Density),
        };

        // Every value is valid; now whether each key is used.
        CheckKeys(mapping, users, otherKeys ?? [], unknownOnly: false);
        return options;
    }

    /// <summary>
    /// Fails on a key of <paramref name="mapping"/> that is neither one of <paramref name="otherKeys"/> nor a merge
    /// option, naming the method in use and the keys it takes; for a file that reads other keys before the options.
    /// </summary>
    public void CheckUnknownKeys(YamlMappingNode mapping, bool hasTask, IReadOnlyList<string> otherKeys) =>
        CheckKeys(mapping, MethodsInUse(mapping, hasTask, alsoUsedBy: null), otherKeys, unknownOnly: true);

    // The merge method, then the baselines evaluated with the same options.
    private List<MergeMethod> MethodsInUse(YamlMappingNode mapping, bool hasTask, IReadOnlyList<string>? alsoUsedBy)
    {
        var methodNode = mapping.Find("method");
        var method = MergeMethods.Named(methodNode is null ? MergeOptions.DefaultsFor(hasTask).Method : values.OneOf(methodNode, Field("method"), MergeMethods.Names));
        return [.. new[] { method }.Concat(MergeMethods.All.Where(m => (alsoUsedBy ?? []).Contains(m.Name))).Distinct()];
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

    private string Choice(YamlMappingNode mapping, MergeParameter parameter) =>
        mapping.Find(parameter.Name) is { } node ? values.OneOf(node, Field(parameter.Name), parameter.Choices) : parameter.Default!;

    private double Number(YamlMappingNode mapping, MergeParameter parameter) =>
        mapping.Find(parameter.Name) is { } node ? values.Number(node, Field(parameter.Name), parameter.Range.Contains, parameter.Expected) : parameter.DefaultNumber;

    // Every key is the file's own, an option every method takes, or a parameter of a method in use; a parameter of
    // another method is accepted only when it restates its default (it changes nothing).
    private void CheckKeys(YamlMappingNode mapping, List<MergeMethod> users, IReadOnlyList<string> otherKeys, bool unknownOnly)
    {
        var declared = users.SelectMany(m => m.Parameters).Distinct().ToList();
        foreach (var (key, value) in mapping.Children)
        {
            var name = key.KeyText();
            if (otherKeys.Contains(name) || MergeMethods.CommonOptions.Contains(name) || declared.Any(p => p.Name == name)
                || (unknownOnly && MergeParameters.All.Any(p => p.Name == name))
                || (MergeParameters.All.FirstOrDefault(p => p.Name == name) is { } other && value is YamlScalarNode { Value: { } text } && other.IsDefault(text)))
            {
                continue;
            }

            var whose = users.Count == 1 ? $"method '{users[0].Name}'" : $"method '{users[0].Name}' or of the baselines {string.Join(", ", users.Skip(1).Select(m => m.Name))}";
            var problem = MergeParameters.All.Any(p => p.Name == name) ? $"'{name}' is not a parameter of {whose} and would be ignored" : $"unknown key '{name}', not a parameter of {whose}";
            var file = otherKeys.Count == 0 ? "" : $"; the file's own keys: {string.Join(", ", otherKeys)}";
            throw values.Error(key, Field(name),
                $"{problem}; its parameters: {(declared.Count == 0 ? "none" : string.Join(", ", declared.Select(p => p.Name)))}; " +
                $"every method also takes: {string.Join(", ", MergeMethods.CommonOptions)}{file}");
        }
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
