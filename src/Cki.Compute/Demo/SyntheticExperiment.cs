using Cki.Compute.Checkpoints;
using Cki.Compute.Config;
using Cki.Compute.Merging;
using Cki.Compute.Tasks;
using Cki.Compute.Tasks.Synthetic;
using Cki.Contracts.Manifests;
using static TorchSharp.torch;

namespace Cki.Compute.Demo;

/// <summary>One row of the demo's results: a model or method and its metric on the validation and test splits.</summary>
/// <param name="Name">What was evaluated.</param>
/// <param name="Validation">Metric on the validation split (what selection may look at).</param>
/// <param name="Test">Metric on the held-out test split (reported only).</param>
/// <param name="InferenceCost">Forward passes per prediction, relative to one model.</param>
public sealed record ExperimentRow(string Name, double Validation, double Test, int InferenceCost);

/// <summary>
/// The demo's end-to-end integration on the small synthetic task: two models trained on two halves of the
/// training data (two "domains"), written as checkpoints, integrated by every method through the real merge path
/// (files, compatibility maps, provenance), and evaluated on the held-out test split beside the inputs and their
/// output ensemble. Selection inside CKI uses the validation split only.
/// </summary>
public static class SyntheticExperiment
{
    /// <summary>
    /// Runs the experiment in <paramref name="folder"/>, training and evaluating on <paramref name="device"/> (the CPU
    /// when null); returns one row per model or method.
    /// </summary>
    public static IReadOnlyList<ExperimentRow> Run(string folder, Action<string>? log = null, Device? device = null, CancellationToken cancellationToken = default)
    {
        using var task = new SyntheticTask(device: device);
        var inputs = new List<string>();
        var models = new List<Dictionary<string, Tensor>>();
        try
        {
            for (var k = 0; k < 2; k++)
            {
                log?.Invoke($"training model {(char)('A' + k)} on half {k + 1} of the training split");
                var model = task.Train(seed: k, epochs: 6, slices: 2, slice: k);
                models.Add(model);
                inputs.Add(Write(Path.Combine(folder, k == 0 ? "a" : "b"), model));
            }

            var rows = new List<ExperimentRow>
            {
                Row("model A", task, models[0], 1),
                Row("model B", task, models[1], 1),
                new("output ensemble (A, B)", TaskEvaluation.Ensemble(task, models, TaskSplit.Validation),
                    TaskEvaluation.Ensemble(task, models, TaskSplit.Test), 2),
            };
            var runs = new (string Name, MergeConfig Config)[]
            {
                ("average (all tensors)", Config(inputs, folder, "average")),
                ("average (head)", Config(inputs, folder, "average", head: true)),
                ("CKI global-only (all tensors)", Config(inputs, folder, "global-only")),
                ("CKI global-only (head)", Config(inputs, folder, "global-only", head: true)),
                ("CKI soft", Config(inputs, folder, "cki", head: true)),
                ("CKI hard", Config(inputs, folder, "cki", head: true, splice: "hard")),
                ("CKI local-only", Config(inputs, folder, "local-only", head: true)),
                ("pruning (reference, head)", Config(inputs, folder, "prune-reference", head: true)),
                ("pruning (magnitude, head)", Config(inputs, folder, "prune-magnitude", head: true)),
            };
            foreach (var (name, config) in runs)
            {
                log?.Invoke($"integrating: {name}");
                var result = MergeRun.Run(config with { Output = Path.Combine(folder, "integrated", Slug(name), "model.safetensors") },
                    taskModel: config.Task is null ? null : task, cancellationToken: cancellationToken);
                using var merged = Checkpoint.Open(result.Merge.ModelLocation, CheckpointLocations.Default, cancellationToken: cancellationToken);
                var parameters = merged.Tensors.ToDictionary(s => s.Name, s => merged.ReadTensor(s.Name, cancellationToken));
                rows.Add(Row(name, task, parameters, 1));
                foreach (var t in parameters.Values)
                {
                    t.Dispose();
                }
            }

            return rows;
        }
        finally
        {
            foreach (var t in models.SelectMany(m => m.Values))
            {
                t.Dispose();
            }
        }
    }

    private static MergeConfig Config(List<string> inputs, string folder, string method, bool head = false, string splice = "soft") => new()
    {
        Models = inputs,
        Merge = MergeOptions.DefaultsFor(hasTask: false) with { Method = method, Splice = splice, Tensors = head ? TensorSelection.Head : TensorSelection.All },
        Output = Path.Combine(folder, "integrated", "model.safetensors"),
        Task = head ? "synthetic" : null,
    };

    private static ExperimentRow Row(string name, ITaskModel task, IReadOnlyDictionary<string, Tensor> parameters, int cost) =>
        new(name, TaskEvaluation.Evaluate(task, parameters, TaskSplit.Validation), TaskEvaluation.Evaluate(task, parameters, TaskSplit.Test), cost);

    internal static string Write(string folder, Dictionary<string, Tensor> model)
    {
        using var writer = ShardedCheckpointWriter.Create(folder, SyntheticTask.Layout, long.MaxValue,
            new Dictionary<string, string> { ["producer"] = "cki-compute demo", ["task"] = "synthetic" });
        foreach (var spec in SyntheticTask.Layout)
        {
            writer.Write(spec.Name, model[spec.Name]);
        }

        writer.Commit();
        return writer.Location;
    }

    private static string Slug(string name) =>
        new(name.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
}
