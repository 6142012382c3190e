using Cki.Compute.Devices;
using static TorchSharp.torch;

namespace Cki.Compute.Tasks;

/// <summary>
/// Evaluates a model, or an output ensemble of models, on a split of a task: the forward passes run on the task's
/// device, the metric on the CPU.
/// </summary>
public static class TaskEvaluation
{
    /// <summary>The task's metric of the model with <paramref name="parameters"/> on <paramref name="split"/>.</summary>
    public static double Evaluate(ITaskModel task, IReadOnlyDictionary<string, Tensor> parameters, TaskSplit split) =>
        Ensemble(task, [parameters], split);

    /// <summary>
    /// The metric of the output ensemble: the mean of the K models' logits (K times the inference cost of one
    /// model; the ceiling CKI tries to reach at 1x). With one model, that model's metric.
    /// </summary>
    public static double Ensemble(ITaskModel task, IReadOnlyList<IReadOnlyDictionary<string, Tensor>> models, TaskSplit split)
    {
        ArgumentNullException.ThrowIfNull(task);
        using var scope = NewDisposeScope();
        var (logits, labels) = Logits(task, models, split);
        return task.Metric(logits, labels);
    }

    /// <summary>
    /// The mean logits of <paramref name="models"/> over <paramref name="split"/>, in batch order, with the labels, both on
    /// the CPU. The models may live anywhere: those not on the task's device are copied there for the pass.
    /// </summary>
    public static (Tensor Logits, Tensor Labels) Logits(ITaskModel task, IReadOnlyList<IReadOnlyDictionary<string, Tensor>> models, TaskSplit split)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(models);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var placed = models.Select(m => m.ToDictionary(p => p.Key, p => TensorPlacement.On(p.Value, task.Device), StringComparer.Ordinal)).ToList();
        var logits = new List<Tensor>();
        var labels = new List<Tensor>();
        foreach (var batch in task.Batches(split, 4096, 0))
        {
            using (batch)
            {
                var sum = task.Logits(placed[0], batch);
                foreach (var model in placed.Skip(1))
                {
                    sum = sum.add(task.Logits(model, batch));
                }

                logits.Add(sum.div(models.Count).detach());
                labels.Add(batch.Labels.clone());
            }
        }

        return (cat(logits, 0).cpu().MoveToOuterDisposeScope(), cat(labels, 0).cpu().MoveToOuterDisposeScope());
    }
}
