using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Cki.Compute.Checkpoints;
using Cki.Compute.Config;
using Cki.Compute.Method;
using Cki.Compute.Tasks;
using Cki.Compute.Tasks.Registry;
using Cki.Contracts.Manifests;
using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>What a merge run did: the merge's outputs and, for learned methods, the assessment's figures.</summary>
/// <param name="Merge">The files written and the compatibility summary.</param>
/// <param name="Assessment">Best epoch, learning rate and validation metric of a learned method; null otherwise.</param>
public sealed record MergeRunResult(MergeResult Merge, AssessmentSummary? Assessment);

/// <summary>The figures of a learned assessment that a user reads.</summary>
/// <param name="Task">The task.</param>
/// <param name="Metric">Its validation metric's name.</param>
/// <param name="LearningRate">The learning rate kept.</param>
/// <param name="BestEpoch">The epoch kept.</param>
/// <param name="BestValidation">Its validation metric.</param>
/// <param name="ValidationByEpoch">The validation metric after each epoch of the kept candidate.</param>
public sealed record AssessmentSummary(string Task, string Metric, double LearningRate, int BestEpoch, double BestValidation, IReadOnlyList<double> ValidationByEpoch);

/// <summary>
/// Runs a whole merge from a <see cref="MergeConfig"/>: opens and checks the inputs, runs the learned assessment
/// when the method needs one, merges tensor by tensor, and records provenance.
/// </summary>
public static class MergeRun
{
    // The methods of the paper, whose K-model form is this project's extension.
    private static readonly MergeMethod[] CkiMethods = [MergeMethods.Cki, MergeMethods.LocalOnly, MergeMethods.GlobalOnly];

    /// <summary>The tool's version, recorded in provenance.</summary>
    public static string ToolVersion { get; } =
        typeof(MergeRun).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>
    /// Runs the merge; <paramref name="log"/> receives progress lines. The config's task is created from the registry
    /// on <see cref="MergeConfig.Device"/> unless <paramref name="taskModel"/> gives it already (a workflow job builds it
    /// from the run's data, on its own device).
    /// </summary>
    public static MergeRunResult Run(MergeConfig config, Action<string>? log = null, Action<int, long, string>? progress = null,
        ITaskModel? taskModel = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var models = new List<Checkpoint>();
        Checkpoint? baseModel = null;
        using var created = config.Task is null || taskModel is not null ? null : TaskRegistry.Create(config.Task, config.TaskData, config.Device) as IDisposable;
        taskModel ??= created as ITaskModel;
        try
        {
            foreach (var location in config.Models)
            {
                models.Add(Checkpoint.Open(location, config.Locations, config.HashInputs, cancellationToken));
            }

            baseModel = config.Merge.Base is null ? null : Checkpoint.Open(config.Merge.Base, config.Locations, config.HashInputs, cancellationToken);
            ArchitectureCheck.Ensure(models.Concat(baseModel is null ? [] : [baseModel]).Select(m => (m.Location, m.Tensors)).ToList());
            var selected = MergeMethodResolver.Selection(config, () => taskModel);
            var assessment = MergeMethods.NeedsData(config.Method) ? Assess(config, models, taskModel!, selected, log, cancellationToken) : null;
            var (method, onlyThese) = MergeMethodResolver.Resolve(config, assessment?.Weights);
            selected = onlyThese ?? selected;

            using (assessment)
            {
                var merge = StreamingMerger.Merge(new MergeRequest
                {
                    Models = models,
                    Method = method,
                    Selected = selected,
                    Output = MergeOutputLocation.From(config.Output),
                    Locations = config.Locations,
                    Metadata = Provenance(config, models, baseModel, assessment),
                    InputNames = models.Select(m => ProvenanceNames.Of(m.Location, config.ConfigFolder)).ToList(),
                    Base = baseModel,
                    Replacements = assessment?.Trunk ?? new Dictionary<string, Tensor>(),
                    AllowNonFinite = config.Merge.AllowNonFinite,
                    MaxShardBytes = config.MaxShardBytes,
                    Progress = progress,
                }, cancellationToken);
                var summary = assessment is null ? null : new AssessmentSummary(config.Task!, taskModel!.MetricName, assessment.LearningRate,
                    assessment.BestEpoch, assessment.BestValidation, assessment.ValidationByEpoch);
                return new MergeRunResult(merge, summary);
            }
        }
        finally
        {
            models.ForEach(m => m.Dispose());
            baseModel?.Dispose();
        }
    }

    internal static AssessmentResult Assess(MergeConfig config, List<Checkpoint> models, ITaskModel task, Func<string, bool> selected,
        Action<string>? log, CancellationToken cancellationToken)
    {
        var layout = models[0].Tensors;
        var spliced = layout.Where(s => s.Dtype.IsFloatingPoint() && s.Shape.Count >= 1 && selected(s.Name)).Select(s => s.Name).ToList();
        if (spliced.Count == 0)
        {
            throw new ConfigException("tensors: the selection matches no floating-point tensor to splice.");
        }

        var inputs = new List<IReadOnlyDictionary<string, Tensor>>();
        try
        {
            // The assessment runs the task's forward pass, so model A is in memory whole; the others only by their spliced tensors.
            for (var k = 0; k < models.Count; k++)
            {
                var names = k == 0 ? layout.Select(s => s.Name) : spliced;
                var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                inputs.Add(tensors);
                foreach (var spec in layout.Where(s => names.Contains(s.Name)))
                {
                    tensors[spec.Name] = models[k].ReadTensor(spec.Name, cancellationToken);
                    FiniteCheck.Ensure(models[k].Location, spec, tensors[spec.Name], config.Merge.AllowNonFinite);
                }
            }

            return Method.Assessment.Sweep(task, inputs, spliced, config.Assessment(), config.Candidates.LearningRates, log);
        }
        finally
        {
            foreach (var t in inputs.SelectMany(i => i.Values))
            {
                t.Dispose();
            }
        }
    }

    private static Dictionary<string, string> Provenance(MergeConfig config, List<Checkpoint> models, Checkpoint? baseModel, AssessmentResult? assessment)
    {
        // The options every method takes, then those the method declares (its base is named in cki.base instead).
        var options = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["tensors"] = config.Merge.Tensors.Mode == TensorSelection.PatternsMode ? string.Join(",", config.Merge.Tensors.Patterns) : config.Merge.Tensors.Mode,
            ["allow_non_finite"] = config.Merge.AllowNonFinite,
            ["task"] = config.Task,
            ["learning_rate"] = assessment?.LearningRate,
            ["best_epoch"] = assessment?.BestEpoch,
            ["best_validation"] = assessment?.BestValidation,
        };
        foreach (var (name, value) in config.Merge.DeclaredParameters().Where(p => p.Key != "base"))
        {
            options[name] = value;
        }

        string Name(string location) => ProvenanceNames.Of(location, config.ConfigFolder);
        var files = models.SelectMany(m => m.Files).Concat(baseModel?.Files ?? []).Select(Name).ToList();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["cki.method"] = config.Method,
            ["cki.options"] = JsonSerializer.Serialize(options.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value)),
            ["cki.models"] = JsonSerializer.Serialize(models.Select(m => Name(m.Location))),
            ["cki.input_files"] = JsonSerializer.Serialize(files),
            ["cki.seed"] = config.Merge.Seed.ToString(CultureInfo.InvariantCulture),
            ["cki.tool"] = $"cki-compute {ToolVersion}",
        };
        if (baseModel is not null)
        {
            metadata["cki.base"] = Name(baseModel.Location);
        }

        if (!config.HashInputs)
        {
            metadata["cki.input_sha256"] = "not computed (hash_inputs: false)";
        }

        if (models.Count > 2 && CkiMethods.Any(m => m.Name == config.Method))
        {
            metadata["cki.extension"] = "K-model extension of CKI (K > 2): this project's, not in the authors' code; see docs/method.md";
        }

        return metadata;
    }
}
