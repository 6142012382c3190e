using static TorchSharp.torch;

namespace Cki.Compute.Tasks;

/// <summary>The splits of a task's data. Selection (epochs, learning rates) uses only <see cref="Validation"/>.</summary>
public enum TaskSplit
{
    /// <summary>Data the local assessment (and retraining) learns from.</summary>
    Train,

    /// <summary>Data that selects epochs and candidates.</summary>
    Validation,

    /// <summary>Held-out data for reported numbers only.</summary>
    Test,
}

/// <summary>One batch: named input tensors and the labels.</summary>
/// <param name="Inputs">Input tensors by name (features, ids, histories ...).</param>
/// <param name="Labels">The targets.</param>
public sealed record TaskBatch(IReadOnlyDictionary<string, Tensor> Inputs, Tensor Labels) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var input in Inputs.Values)
        {
            input.Dispose();
        }

        Labels.Dispose();
    }
}

/// <summary>
/// A task model as the learned assessment sees it: a forward pass that takes its parameters as tensors (so the
/// spliced weights, built from the learnable P, can flow through it), a loss, a metric and the task's data. The
/// recommendation and text tasks implement it; so does the small synthetic task.
/// </summary>
public interface ITaskModel
{
    /// <summary>The task's name in configs.</summary>
    string Name { get; }

    /// <summary>The validation metric's name; higher is better.</summary>
    string MetricName { get; }

    /// <summary>The tensors CKI splices by default: the weight matrices of the prediction head.</summary>
    IReadOnlyList<string> HeadTensors { get; }

    /// <summary>Whether the local term's linear map has a bias (off for recommendation heads, on for text heads).</summary>
    bool LocalBias { get; }

    /// <summary>Batch size of the local assessment's training.</summary>
    int BatchSize { get; }

    /// <summary>
    /// Where the task keeps its data, builds its batches and runs its forward pass. The trainer, the assessment and the
    /// evaluation place the parameters here; what they return to the caller is on the CPU.
    /// </summary>
    Device Device { get; }

    /// <summary>
    /// The batches of <paramref name="split"/>, on <see cref="Device"/>; training batches are shuffled with <paramref name="shuffleSeed"/>,
    /// the others come in a fixed order.
    /// </summary>
    IEnumerable<TaskBatch> Batches(TaskSplit split, int batchSize, int shuffleSeed);

    /// <summary>The model's outputs (logits) for a batch, with <paramref name="parameters"/> (on <see cref="Device"/>) as its weights.</summary>
    Tensor Logits(IReadOnlyDictionary<string, Tensor> parameters, TaskBatch batch);

    /// <summary>The training loss of <paramref name="logits"/> against <paramref name="labels"/>.</summary>
    Tensor Loss(Tensor logits, Tensor labels);

    /// <summary>The metric over a whole split's logits and labels.</summary>
    double Metric(Tensor logits, Tensor labels);
}
