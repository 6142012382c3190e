using Cki.Compute.Evaluation;
using static TorchSharp.torch;

namespace Cki.Compute.Tasks.Sentiment;

/// <summary>
/// Sentiment classification on a frozen encoder's cached sentence vectors, for one domain or all three. The model is
/// the classification head only, RoBERTa-style as the authors' language code: <c>classifier.dense</c> (H -> H), tanh,
/// <c>classifier.out_proj</c> (H -> 1, one logit: binary cross-entropy, so AUC is defined); no dropout, since the
/// features are fixed. CKI splices the two weight matrices; the biases come from model A.
/// </summary>
public sealed class SentimentTask : ITaskModel, IDisposable
{
    private readonly SentimentFeatures _features;
    private readonly bool _ownsFeatures;
    private readonly Dictionary<TaskSplit, Tensor> _rows = [];

    /// <summary>
    /// A task over <paramref name="domain"/>'s sentences, or all domains when null; with <paramref name="ownsFeatures"/>
    /// disposing the task disposes the features. The cached features stay in host memory; each batch is built on
    /// <paramref name="device"/> (the CPU when null), where the head trains and evaluates.
    /// </summary>
    public SentimentTask(SentimentFeatures features, string? domain = null, string metric = "accuracy", bool ownsFeatures = false, Device? device = null)
    {
        Device = device ?? CPU;
        ArgumentNullException.ThrowIfNull(features);
        if (domain is not null && !SentimentData.Domains.Contains(domain))
        {
            throw new ArgumentException($"Unknown domain '{domain}'; known: {string.Join(", ", SentimentData.Domains)}.", nameof(domain));
        }

        if (metric is not ("accuracy" or "auc"))
        {
            throw new ArgumentException($"Unknown metric '{metric}'; known: accuracy, auc.", nameof(metric));
        }

        _features = features;
        _ownsFeatures = ownsFeatures;
        Domain = domain;
        MetricName = metric;
        var index = domain is null ? -1 : SentimentData.Domains.ToList().IndexOf(domain);
        foreach (var split in Enum.GetValues<TaskSplit>())
        {
            var all = features[split].Domain;
            _rows[split] = index < 0 ? arange(all.shape[0], ScalarType.Int64) : all.eq(index).nonzero().reshape(-1);
        }

        var width = features.Width;
        Layout =
        [
            new("classifier.dense.weight", TensorDtype.F32, [width, width]),
            new("classifier.dense.bias", TensorDtype.F32, [width]),
            new("classifier.out_proj.weight", TensorDtype.F32, [1, width]),
            new("classifier.out_proj.bias", TensorDtype.F32, [1]),
        ];
    }

    /// <inheritdoc />
    public Device Device { get; }

    /// <summary>The domain, or null for all three.</summary>
    public string? Domain { get; }

    /// <summary>The head's tensors.</summary>
    public IReadOnlyList<TensorSpec> Layout { get; }

    /// <inheritdoc />
    public string Name => "sentiment";

    /// <inheritdoc />
    public string MetricName { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> HeadTensors { get; } = ["classifier.dense.weight", "classifier.out_proj.weight"];

    /// <inheritdoc />
    public bool LocalBias => true;

    /// <inheritdoc />
    public int BatchSize => 32;

    /// <summary>Number of sentences in <paramref name="split"/>.</summary>
    public long Count(TaskSplit split) => _rows[split].shape[0];

    /// <inheritdoc />
    public IEnumerable<TaskBatch> Batches(TaskSplit split, int batchSize, int shuffleSeed)
    {
        var (x, label, _) = _features[split];
        var rows = _rows[split];
        var n = rows.shape[0];
        using var generator = new Generator((ulong)shuffleSeed);
        using var permutation = split == TaskSplit.Train ? randperm(n, generator: generator) : arange(n, ScalarType.Int64);
        using var order = rows.index_select(0, permutation);
        for (long start = 0; start < n; start += batchSize)
        {
            using var index = order.narrow(0, start, Math.Min(batchSize, n - start));
            yield return new TaskBatch(new Dictionary<string, Tensor> { ["x"] = Placed(x.index_select(0, index)) }, Placed(label.index_select(0, index)));
        }
    }

    /// <inheritdoc />
    public Tensor Logits(IReadOnlyDictionary<string, Tensor> parameters, TaskBatch batch)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        var h = nn.functional.linear(batch.Inputs["x"], parameters["classifier.dense.weight"], parameters["classifier.dense.bias"]).tanh();
        return nn.functional.linear(h, parameters["classifier.out_proj.weight"], parameters["classifier.out_proj.bias"]).reshape(-1).MoveToOuterDisposeScope();
    }

    // A batch tensor on the task's device (the selection itself is made where the features are).
    private Tensor Placed(Tensor tensor)
    {
        if (Devices.TensorPlacement.IsOn(tensor, Device))
        {
            return tensor;
        }

        using (tensor)
        {
            return tensor.to(Device);
        }
    }

    /// <inheritdoc />
    public Tensor Loss(Tensor logits, Tensor labels) => nn.functional.binary_cross_entropy_with_logits(logits, labels);

    /// <inheritdoc />
    public double Metric(Tensor logits, Tensor labels) => MetricName == "auc" ? Metrics.Auc(logits, labels) : Metrics.Accuracy(logits, labels);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var rows in _rows.Values)
        {
            rows.Dispose();
        }

        if (_ownsFeatures)
        {
            _features.Dispose();
        }
    }

    /// <summary>Trains one head from <paramref name="seed"/> (Xavier, Adam) and keeps its best validation epoch.</summary>
    public Dictionary<string, Tensor> TrainHead(int seed, int epochs, double learningRate)
    {
        var start = TaskTrainer.Initialize(Layout, seed);
        try
        {
            return TaskTrainer.TrainBest(this, start, epochs, learningRate, BatchSize, seed).Parameters;
        }
        finally
        {
            foreach (var t in start.Values)
            {
                t.Dispose();
            }
        }
    }
}
