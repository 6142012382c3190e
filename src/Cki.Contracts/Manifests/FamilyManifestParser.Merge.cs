using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Cki.Contracts.Manifests;

/// <summary>The <c>merge:</c> section and its rules that depend on the task and the sources.</summary>
public static partial class FamilyManifestParser
{
    /// <summary>The keys the <c>merge:</c> section may have.</summary>
    public static IReadOnlyList<string> MergeKeys { get; } =
        ["method", "splice", "form", "tensors", "histogram", "a", "c", "allow_non_finite", "seed", "base", "threshold", "lambda", "density"];

    private static readonly string[] SpliceNames = ["soft", "hard"];
    private static readonly string[] FormNames = ["exp-softmax", "linear"];
    private static readonly string[] HistogramNames = ["reference", "closed"];

    /// <summary>
    /// The merge options when the manifest leaves them out: data-free <c>global-only</c> over all tensors when the
    /// task is <c>none</c> (there is no task head to pick), else <c>cki</c> over the head.
    /// </summary>
    private static MergeOptions DefaultMerge(string task) => task == ManifestTasks.None
        ? new MergeOptions { Method = MergeMethodNames.GlobalOnly, Tensors = TensorSelection.All }
        : new MergeOptions();

    private static MergeOptions ReadMerge(ManifestValueReader values, YamlNode node, string task, int sourceCount)
    {
        var mapping = values.Mapping(node, "merge", MergeKeys);
        var defaults = DefaultMerge(task);

        var methodNode = mapping.Find("method");
        var method = methodNode is null ? defaults.Method : values.OneOf(methodNode, "merge.method", MergeMethodNames.All);
        if (methodNode is not null && task == ManifestTasks.None && MergeMethodNames.Learned.Contains(method))
        {
            throw values.Error(methodNode, "merge.method",
                $"'{method}' learns the local assessment and needs a task with data, but task is 'none'; " +
                $"expected a data-free method ({string.Join(", ", MergeMethodNames.DataFree)}) or a task");
        }

        var formNode = mapping.Find("form");
        var form = formNode is null ? defaults.Form : values.OneOf(formNode, "merge.form", FormNames);
        if (formNode is not null && form == "linear" && sourceCount > 2)
        {
            throw values.Error(formNode, "merge.form",
                string.Create(CultureInfo.InvariantCulture, $"'linear' is defined for two sources only, found {sourceCount}; expected exp-softmax"));
        }

        var baseNode = mapping.Find("base");
        var baseModel = baseNode is null ? null : values.Reference(baseNode, "merge.base");
        if (baseModel is null && MergeMethodNames.NeedingBase.Contains(method))
        {
            throw values.Error(methodNode ?? mapping, "merge.base",
                $"method '{method}' needs a base model; expected merge.base: a blob reference such as checkpoints/{{family}}/base/v1/model.safetensors");
        }

        return new MergeOptions
        {
            Method = method,
            Splice = mapping.Find("splice") is { } splice ? values.OneOf(splice, "merge.splice", SpliceNames) : defaults.Splice,
            Form = form,
            Tensors = mapping.Find("tensors") is { } tensors ? ReadTensors(values, tensors) : defaults.Tensors,
            Histogram = mapping.Find("histogram") is { } histogram ? values.OneOf(histogram, "merge.histogram", HistogramNames) : defaults.Histogram,
            A = mapping.Find("a") is { } a ? values.Number(a, "merge.a", v => v is > 0 and <= 1, "a number in (0, 1]") : defaults.A,
            C = mapping.Find("c") is { } c ? values.Number(c, "merge.c", v => v > 0, "a number > 0") : defaults.C,
            AllowNonFinite = mapping.Find("allow_non_finite") is { } allow ? values.Boolean(allow, "merge.allow_non_finite") : defaults.AllowNonFinite,
            Seed = mapping.Find("seed") is { } seed ? values.Integer(seed, "merge.seed", 0, int.MaxValue) : defaults.Seed,
            Base = baseModel,
            Threshold = mapping.Find("threshold") is { } threshold ? values.Number(threshold, "merge.threshold", v => v >= 0, "a number >= 0") : defaults.Threshold,
            Lambda = mapping.Find("lambda") is { } lambda ? values.Number(lambda, "merge.lambda", _ => true, "a number") : defaults.Lambda,
            Density = mapping.Find("density") is { } density ? values.Number(density, "merge.density", v => v is > 0 and <= 1, "a number in (0, 1]") : defaults.Density,
        };
    }

    private static TensorSelection ReadTensors(ManifestValueReader values, YamlNode node)
    {
        const string Field = "merge.tensors";
        const string Expected = "head, all or a list of glob patterns over tensor names";
        if (node is YamlSequenceNode)
        {
            var items = values.List(node, Field, Expected);
            if (items.Count == 0)
            {
                throw values.Error(node, Field, $"expected {Expected}, found an empty list");
            }

            return TensorSelection.FromPatterns(
                [.. items.Select((item, i) => values.Text(item, string.Create(CultureInfo.InvariantCulture, $"{Field}[{i}]"), "a glob pattern over tensor names"))]);
        }

        return values.Text(node, Field, Expected) switch
        {
            TensorSelection.HeadMode => TensorSelection.Head,
            TensorSelection.AllMode => TensorSelection.All,
            _ => throw values.Error(node, Field, $"expected {Expected}, found {node.Describe()}"),
        };
    }
}
