using Cki.Contracts.Runs;
using System.Globalization;
using Cki.Contracts.Storage;
using YamlDotNet.RepresentationModel;

namespace Cki.Contracts.Manifests;

/// <summary>
/// Reads and validates a family manifest, <c>checkpoints/{family}/cki.yaml</c>. Every problem, from a YAML syntax
/// error to a cross-field rule, is a <see cref="ManifestException"/> naming the blob, line, column and field.
/// </summary>
public static partial class FamilyManifestParser
{
    /// <summary>The keys a manifest's top level may have.</summary>
    public static IReadOnlyList<string> TopLevelKeys { get; } =
        ["task", "sources", "merge", "data", "evaluation", "candidates", "promotion", "retrain_epochs", "shards", "schedule"];

    private static readonly string[] ScheduleNames = ["nightly", "manual"];
    private static readonly string[] EvaluationKeys = ["metrics", "baselines"];
    private static readonly string[] MovieLensData = ["ratings", "movies"];

    /// <summary>Parses <paramref name="text"/>, the content of the blob <paramref name="blobName"/> (used in messages only).</summary>
    /// <exception cref="ManifestException">The manifest is not valid; the message says where and why.</exception>
    public static FamilyManifest Parse(string text, string blobName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(blobName);
        var values = new ManifestValueReader(blobName);
        var root = values.Mapping(YamlDocumentReader.Read(text, blobName), "", TopLevelKeys);

        var task = values.OneOf(Required(values, root, "task", $"one of {string.Join(", ", ManifestTasks.Names)}"), "task", ManifestTasks.Names);
        var sources = ReadSources(values, Required(values, root, "sources", "a list of at least 2 source names"));
        var evaluation = root.Find("evaluation") is { } evaluationNode ? ReadEvaluation(values, evaluationNode) : new EvaluationOptions();
        var options = new MergeOptionsReader(values, "merge.");
        var hasTask = task != ManifestTasks.None;
        var merge = root.Find("merge") is { } mergeNode
            ? options.Read(values.AnyMapping(mergeNode, "merge", $"a mapping with keys {string.Join(", ", MergeOptionsReader.Keys)}"), hasTask, "task is 'none'", sources.Count, values.Reference, evaluation.Baselines)
            : MergeOptions.DefaultsFor(hasTask);
        var dataNode = root.Find("data");
        var data = dataNode is null ? new Dictionary<string, string>(StringComparer.Ordinal) : ReadData(values, dataNode);
        if (task == ManifestTasks.MovieLens)
        {
            var missing = MovieLensData.Where(key => !data.ContainsKey(key)).ToList();
            if (missing.Count > 0)
            {
                throw values.Error(dataNode ?? root, "data",
                    $"task 'movielens' needs data keys {string.Join(" and ", MovieLensData)}; missing {string.Join(", ", missing)}");
            }
        }

        if (task == ManifestTasks.Sentiment && !data.ContainsKey("features"))
        {
            throw values.Error(dataNode ?? root, "data", "task 'sentiment' needs data key features (a features-{encoder}.safetensors file that 'cki-compute experiment sentiment' caches)");
        }

        return new FamilyManifest
        {
            Task = task,
            Sources = sources,
            Merge = merge,
            Data = data,
            Evaluation = evaluation,
            Promotion = root.Find("promotion") is { } promotion ? ReadPromotion(values, promotion, hasTask, evaluation) : PromotionOptions.DefaultsFor(hasTask),
            Candidates = root.Find("candidates") is { } candidates
                ? new MergeOptionsReader(values, "candidates.").ReadCandidates(values.Mapping(candidates, "candidates", CandidateOptions.Keys))
                : new CandidateOptions(),
            RetrainEpochs = root.Find("retrain_epochs") is { } retrain ? values.Integer(retrain, "retrain_epochs", 0, 100) : 0,
            Shards = root.Find("shards") is { } shards ? values.Integer(shards, "shards", 1, 1024) : 16,
            Schedule = root.Find("schedule") is { } schedule && values.OneOf(schedule, "schedule", ScheduleNames) == "manual"
                ? ScheduleMode.Manual
                : ScheduleMode.Nightly,
        };
    }

    private static YamlNode Required(ManifestValueReader values, YamlMappingNode root, string key, string expected) =>
        root.Find(key) ?? throw values.Error(root, key, $"required key '{key}' is missing; expected {expected}");

    private static List<string> ReadSources(ManifestValueReader values, YamlNode node)
    {
        const string Expected = "a source name: " + NameRule.Description;
        var items = values.List(node, "sources", "a list of at least 2 source names, model A first");
        if (items.Count < 2)
        {
            throw values.Error(node, "sources",
                string.Create(CultureInfo.InvariantCulture, $"expected at least 2 sources to integrate, found {items.Count}"));
        }

        var sources = new List<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"sources[{i}]");
            var name = values.Text(items[i], field, Expected);
            if (!NameRule.IsValid(name))
            {
                throw values.Error(items[i], field, $"expected {Expected}, found {items[i].Describe()}");
            }

            if (sources.Contains(name))
            {
                throw values.Error(items[i], field, $"source '{name}' is listed twice; sources must be distinct");
            }

            sources.Add(name);
        }

        return sources;
    }

    private static Dictionary<string, string> ReadData(ManifestValueReader values, YamlNode node)
    {
        var mapping = values.AnyMapping(node, "data", "a mapping from data set names to blob references");
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Children)
        {
            if (key.KeyText().Length == 0)
            {
                throw values.Error(key, "data", "a data set name is empty");
            }

            data.Add(key.KeyText(), values.Reference(value, ManifestValueReader.Path("data", key.KeyText())));
        }

        return data;
    }

    private static PromotionOptions ReadPromotion(ManifestValueReader values, YamlNode node, bool hasTask, EvaluationOptions evaluation)
    {
        var mapping = values.Mapping(node, "promotion", PromotionOptions.Keys);
        var policy = mapping.Find("policy") is { } policyNode ? values.OneOf(policyNode, "promotion.policy", PromotionOptions.Policies) : null;
        if (!hasTask)
        {
            // Nothing is evaluated without a task: there is nothing to decide on.
            if (policy is not null and not PromotionOptions.Always)
            {
                throw values.Error(mapping.Find("policy")!, "promotion.policy", $"task 'none' evaluates nothing, so only '{PromotionOptions.Always}' can be its policy, found '{policy}'");
            }

            if (mapping.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(k => k.Value != "policy") is { } other)
            {
                throw values.Error(other, $"promotion.{other.Value}", $"task 'none' evaluates nothing, so promotion.{other.Value} would be ignored; remove it");
            }

            return PromotionOptions.DefaultsFor(hasTask: false);
        }

        var metric = mapping.Find("metric") is { } metricNode ? values.OneOf(metricNode, "promotion.metric", evaluation.Metrics) : null;
        return new PromotionOptions
        {
            Policy = policy ?? PromotionOptions.Best,
            Metric = metric,
            Margin = mapping.Find("margin") is { } margin ? values.Number(margin, "promotion.margin", m => m >= 0 && m < 1, "a number from 0 (inclusive) to 1") : 0,
            AllowEnsemble = mapping.Find("allow_ensemble") is { } ensemble && values.Boolean(ensemble, "promotion.allow_ensemble"),
            Resamples = mapping.Find("resamples") is { } resamples
                ? values.Integer(resamples, "promotion.resamples", PromotionOptions.MinResamples, PromotionOptions.MaxResamples) : PromotionOptions.MinResamples,
            Seed = mapping.Find("seed") is { } seed ? values.Integer(seed, "promotion.seed", 0, int.MaxValue) : 0,
        };
    }

    private static EvaluationOptions ReadEvaluation(ManifestValueReader values, YamlNode node)
    {
        var mapping = values.Mapping(node, "evaluation", EvaluationKeys);
        var defaults = new EvaluationOptions();
        return new EvaluationOptions
        {
            Metrics = mapping.Find("metrics") is { } metrics
                ? values.DistinctNames(metrics, "evaluation.metrics", MetricNames.All, minCount: 1)
                : defaults.Metrics,
            Baselines = mapping.Find("baselines") is { } baselines
                ? values.DistinctNames(baselines, "evaluation.baselines", EvaluationOptions.BaselineNames, minCount: 0)
                : defaults.Baselines,
        };
    }
}
