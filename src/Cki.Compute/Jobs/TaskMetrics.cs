using Cki.Contracts.Runs;
using Cki.Compute.Evaluation;
using Cki.Compute.Tasks;
using static TorchSharp.torch;

namespace Cki.Compute.Jobs;

/// <summary>
/// The evaluation metrics a manifest may ask for, computed on a split's logits (one place: Evaluation/Metrics): the
/// forward passes run on the task's device, the metrics on the CPU logits <see cref="TaskEvaluation.Logits"/> returns.
/// </summary>
internal static class TaskMetrics
{
    /// <summary>
    /// Each requested metric of <paramref name="models"/> (their output ensemble when several) on validation and test;
    /// <paramref name="validation"/>, when given, also gets the validation logits and labels.
    /// </summary>
    public static Dictionary<string, double> Of(ITaskModel task, IReadOnlyList<IReadOnlyDictionary<string, Tensor>> models, IReadOnlyList<string> metrics,
        Action<Tensor, Tensor>? validation = null)
    {
        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var split in new[] { TaskSplit.Validation, TaskSplit.Test })
        {
            using var scope = NewDisposeScope();
            var (logits, labels) = TaskEvaluation.Logits(task, models, split);
            if (split == TaskSplit.Validation)
            {
                validation?.Invoke(logits, labels);
            }

            foreach (var metric in metrics)
            {
                figures[$"{split.ToString().ToLowerInvariant()}.{metric}"] = metric switch
                {
                    MetricNames.Auc => Metrics.Auc(logits, labels),
                    MetricNames.LogLoss => Metrics.LogLoss(logits, labels),
                    MetricNames.Accuracy => Metrics.Accuracy(logits, labels),
                    _ => throw new ArgumentException($"evaluation.metrics: unknown metric '{metric}'; known: auc, logloss, accuracy.", nameof(metrics)),
                };
            }
        }

        return figures;
    }

    /// <summary>Every tensor of a checkpoint, in memory on the CPU (task models are small enough to evaluate whole).</summary>
    public static Dictionary<string, Tensor> Load(string url, Checkpoints.CheckpointLocations locations, CancellationToken cancellationToken)
    {
        using var checkpoint = Checkpoints.Checkpoint.Open(url, locations, cancellationToken: cancellationToken);
        return Load(checkpoint, cancellationToken);
    }

    /// <summary>Every tensor of an open checkpoint, in memory.</summary>
    public static Dictionary<string, Tensor> Load(Checkpoints.Checkpoint checkpoint, CancellationToken cancellationToken) =>
        checkpoint.Tensors.ToDictionary(t => t.Name, t => checkpoint.ReadTensor(t.Name, cancellationToken), StringComparer.Ordinal);
}
