using Cki.Compute.Evaluation;
using static TorchSharp.torch;

namespace Cki.Compute.Tasks.Synthetic;

/// <summary>
/// A small binary classification task of our own, for testing and demonstrating the learned assessment where no
/// real task is needed: 16 Gaussian features, a non-linear labelling rule with label noise, and an MLP with a
/// trunk layer and a two-layer head. Generated from fixed seeds, so every run sees the same data.
/// </summary>
public sealed class SyntheticTask : ITaskModel, IDisposable
{
    /// <summary>Number of input features.</summary>
    public const int Features = 16;

    private const int DataSeed = 2026;
    private readonly Dictionary<TaskSplit, (Tensor X, Tensor Y)> _data = [];

    /// <summary>
    /// Creates the task; <paramref name="trainSize"/> examples for training, a quarter of that each for validation and
    /// test, kept on <paramref name="device"/> (the CPU when null). The data is drawn on the CPU, so it is the same on every device.
    /// </summary>
    public SyntheticTask(int trainSize = 4000, Device? device = null)
    {
        Device = device ?? CPU;
        using var generator = new Generator(DataSeed);
        var u = randn([Features], generator: generator);
        var v = randn([Features], generator: generator).div_(Math.Sqrt(Features));
        foreach (var (split, size) in new[] { (TaskSplit.Train, trainSize), (TaskSplit.Validation, trainSize / 4), (TaskSplit.Test, trainSize / 4) })
        {
            using var scope = NewDisposeScope();
            var x = randn([size, Features], generator: generator);
            var score = x.matmul(u).mul(0.5).sin().add(x.matmul(v).pow(2).mul(0.5)).sub(0.45).add(randn([size], generator: generator).mul(0.3));
            _data[split] = (x.to(Device).MoveToOuterDisposeScope(), score.gt(0).to_type(ScalarType.Float32).to(Device).MoveToOuterDisposeScope());
        }

        u.Dispose();
        v.Dispose();
    }

    /// <summary>The model's tensors: a trunk layer and a two-layer head.</summary>
    public static IReadOnlyList<TensorSpec> Layout { get; } =
    [
        new("trunk.0.weight", TensorDtype.F32, [32, Features]),
        new("trunk.0.bias", TensorDtype.F32, [32]),
        new("head.0.weight", TensorDtype.F32, [16, 32]),
        new("head.0.bias", TensorDtype.F32, [16]),
        new("head.1.weight", TensorDtype.F32, [1, 16]),
        new("head.1.bias", TensorDtype.F32, [1]),
    ];

    /// <inheritdoc />
    public string Name => "synthetic";

    /// <inheritdoc />
    public string MetricName => "auc";

    /// <inheritdoc />
    public IReadOnlyList<string> HeadTensors { get; } = ["head.0.weight", "head.1.weight"];

    /// <inheritdoc />
    public bool LocalBias => false;

    /// <inheritdoc />
    public int BatchSize => 128;

    /// <inheritdoc />
    public Device Device { get; }

    /// <inheritdoc />
    public IEnumerable<TaskBatch> Batches(TaskSplit split, int batchSize, int shuffleSeed)
    {
        var (x, y) = _data[split];
        var n = x.shape[0];
        using var order = BatchOrder.Of(split, n, shuffleSeed, Device);
        for (long start = 0; start < n; start += batchSize)
        {
            using var index = order.narrow(0, start, Math.Min(batchSize, n - start));
            yield return new TaskBatch(new Dictionary<string, Tensor> { ["x"] = BatchOrder.Rows(x, index) }, BatchOrder.Rows(y, index));
        }
    }

    /// <inheritdoc />
    public Tensor Logits(IReadOnlyDictionary<string, Tensor> parameters, TaskBatch batch)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        var h = nn.functional.linear(batch.Inputs["x"], parameters["trunk.0.weight"], parameters["trunk.0.bias"]).tanh();
        h = nn.functional.linear(h, parameters["head.0.weight"], parameters["head.0.bias"]).tanh();
        return nn.functional.linear(h, parameters["head.1.weight"], parameters["head.1.bias"]).reshape(-1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Loss(Tensor logits, Tensor labels) => nn.functional.binary_cross_entropy_with_logits(logits, labels);

    /// <inheritdoc />
    public double Metric(Tensor logits, Tensor labels) => Metrics.Auc(logits, labels);

    /// <summary>
    /// Trains one input model from <paramref name="seed"/> (Xavier init, Adam, every parameter), on the whole
    /// training split or on one of <paramref name="slices"/> slices of it (a "domain").
    /// </summary>
    public Dictionary<string, Tensor> Train(int seed, int epochs = 4, double learningRate = 1e-2, int slices = 1, int slice = 0)
    {
        var start = TaskTrainer.Initialize(Layout, seed);
        try
        {
            return TaskTrainer.Train(this, start, epochs, learningRate, 64, seed, index => index % slices == slice);
        }
        finally
        {
            foreach (var t in start.Values)
            {
                t.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (x, y) in _data.Values)
        {
            x.Dispose();
            y.Dispose();
        }
    }
}
