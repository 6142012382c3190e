using Cki.Compute.Devices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cki.Compute.Tasks;

/// <summary>
/// Trains a task model's parameters from scratch or from a starting point (the input models of an integration, and
/// "one more epoch" baselines): Adam on every parameter, the task's loss, the task's batches. Training runs on the
/// task's device; starting points may live anywhere, and trained parameters come back on the CPU.
/// </summary>
public static class TaskTrainer
{
    /// <summary>
    /// Fresh parameters for <paramref name="layout"/> on the CPU: Xavier-uniform matrices, N(0, 0.05) embeddings, zero
    /// vectors (drawn on the CPU so a seed gives the same start on every device).
    /// </summary>
    public static Dictionary<string, Tensor> Initialize(IReadOnlyList<TensorSpec> layout, int seed, ISet<string>? embeddings = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        using var generator = new Generator((ulong)(seed + 1));
        var parameters = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var spec in layout)
        {
            parameters[spec.Name] = embeddings?.Contains(spec.Name) == true
                ? randn([.. spec.Shape], generator: generator).mul_(0.05)
                : spec.Shape.Count == 2 ? Xavier.Uniform(spec.Shape[0], spec.Shape[1], generator) : zeros([.. spec.Shape]);
        }

        return parameters;
    }

    /// <summary>
    /// Trains up to <paramref name="epochs"/> epochs and keeps the parameters of the epoch with the best VALIDATION
    /// metric; returns them (on the CPU) with that epoch (1-based) and metric.
    /// </summary>
    public static (Dictionary<string, Tensor> Parameters, int Epoch, double Validation) TrainBest(ITaskModel task, IReadOnlyDictionary<string, Tensor> start,
        int epochs, double learningRate, int batchSize, int shuffleSeed, Action<string>? log = null)
    {
        Dictionary<string, Tensor>? best = null;
        var (bestEpoch, bestMetric) = (0, double.NegativeInfinity);
        var last = Train(task, start, epochs, learningRate, batchSize, shuffleSeed, epochDone: (epoch, loss, parameters) =>
        {
            var metric = TaskEvaluation.Evaluate(task, parameters, TaskSplit.Validation);
            log?.Invoke(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"epoch {epoch}/{epochs}: loss {loss:F4}, validation {task.MetricName} {metric:F4}"));
            if (metric > bestMetric || best is null)
            {
                foreach (var t in best?.Values ?? Enumerable.Empty<Tensor>())
                {
                    t.Dispose();
                }

                (bestEpoch, bestMetric) = (epoch, metric);
                best = TensorPlacement.ToCpu(parameters);
            }
        });
        foreach (var t in last.Values)
        {
            t.Dispose();
        }

        return (best!, bestEpoch, bestMetric);
    }

    /// <summary>
    /// Trains copies of <paramref name="start"/> for <paramref name="epochs"/> epochs on the training batches for
    /// which <paramref name="useBatch"/> (batch index) is true, on the task's device; returns the trained parameters
    /// (detached, on the CPU). Tensors named in <paramref name="frozen"/> keep their starting values.
    /// <paramref name="epochDone"/> sees the parameters on the task's device.
    /// </summary>
    public static Dictionary<string, Tensor> Train(ITaskModel task, IReadOnlyDictionary<string, Tensor> start, int epochs, double learningRate,
        int batchSize, int shuffleSeed, Func<int, bool>? useBatch = null, Action<int, double, IReadOnlyDictionary<string, Tensor>>? epochDone = null,
        IReadOnlySet<string>? frozen = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(start);
        var byName = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var trainable = new List<Parameter>();
        foreach (var (name, value) in start)
        {
            var parameter = new Parameter(TensorPlacement.CopyTo(value, task.Device), requires_grad: value.is_floating_point() && frozen?.Contains(name) != true);
            trainable.Add(parameter);
            byName[name] = parameter;
        }

        using (var optimizer = optim.Adam(trainable.Where(p => p.requires_grad), learningRate))
        {
            for (var epoch = 0; epoch < epochs; epoch++)
            {
                // Summed where the loss lives: reading it back once per epoch keeps the device from waiting on the host.
                using var loss = zeros([], ScalarType.Float64, task.Device);
                var batches = 0;
                var index = 0;
                foreach (var batch in task.Batches(TaskSplit.Train, batchSize, (shuffleSeed * 1000) + epoch))
                {
                    using (batch)
                    {
                        if (useBatch is not null && !useBatch(index++))
                        {
                            continue;
                        }

                        using var scope = NewDisposeScope();
                        optimizer.zero_grad();
                        var value = task.Loss(task.Logits(byName, batch), batch.Labels);
                        value.backward();
                        optimizer.step();
                        loss.add_(value.detach().to_type(ScalarType.Float64));
                        batches++;
                    }
                }

                epochDone?.Invoke(epoch + 1, batches == 0 ? double.NaN : loss.item<double>() / batches, byName);
            }
        }

        var result = TensorPlacement.ToCpu(byName);
        trainable.ForEach(p => p.Dispose());
        return result;
    }
}
