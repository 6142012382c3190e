using Cki.Compute.Data.MovieLens;
using Cki.Compute.Evaluation;
using static TorchSharp.torch;

namespace Cki.Compute.Tasks.Din;

/// <summary>Which features the DIN head reads.</summary>
public enum DinFeatures
{
    /// <summary>The authors' DIN: movie ID and genre features only (target and attended history), no user embedding.</summary>
    ItemGenre,

    /// <summary>This project's first DIN: a user embedding beside the target and the attended history.</summary>
    UserItemGenre,
}

/// <summary>
/// DIN (Deep Interest Network) on MovieLens click-through samples, as the CKI authors configure it: embeddings of
/// size 32 (user, movie, genre; a movie is its embedding plus the mean of its genres'), target attention over the
/// click history (an activation unit on [h, t, h - t, h * t], weights not normalised, padding masked), and an MLP
/// head 128 -> 64 -> 1 with Tanh over [target, attended history] (<see cref="DinFeatures.ItemGenre"/>, the authors'
/// features) or [user, target, attended history] (<see cref="DinFeatures.UserItemGenre"/>). BCE loss, Adam 1e-3, batch
/// 1024. The head's three weight matrices are the tensors CKI splices.
/// </summary>
public sealed class DinTask : ITaskModel, IDisposable
{
    /// <summary>Embedding size.</summary>
    public const int Embedding = 32;

    /// <summary>Hidden size of the attention unit.</summary>
    public const int AttentionHidden = 36;

    private readonly Dictionary<TaskSplit, (Tensor Users, Tensor Items, Tensor History, Tensor Labels)> _splits = [];
    private readonly Tensor _itemGenres;
    private readonly Tensor _itemGenreCounts;

    /// <summary>The features of the default model: chosen on validation with the per-user split (docs/experiments/movielens.md).</summary>
    public const DinFeatures DefaultFeatures = DinFeatures.UserItemGenre;

    /// <summary>
    /// Builds the task over <paramref name="data"/>; <paramref name="trainFilter"/> keeps a slice of the training period.
    /// The samples and the genre tables live on <paramref name="device"/> (the CPU when null).
    /// </summary>
    public DinTask(CtrDataset data, Func<CtrSample, bool>? trainFilter = null, DinFeatures features = DefaultFeatures, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        Data = data;
        Device = device ?? CPU;
        Features = features;
        var h = data.Options.HistoryLength;
        foreach (var (split, samples) in new[] { (TaskSplit.Train, data.Train.Where(trainFilter ?? (_ => true)).ToList()), (TaskSplit.Validation, data.Validation.ToList()), (TaskSplit.Test, data.Test.ToList()) })
        {
            var history = new long[samples.Count * h];
            for (var i = 0; i < samples.Count; i++)
            {
                var items = samples[i].History;
                for (var j = 0; j < items.Length; j++)
                {
                    history[(i * h) + (h - items.Length) + j] = items[j]; // right-aligned: newest last, padding first
                }
            }

            _splits[split] = (
                tensor(samples.Select(s => (long)s.User).ToArray(), device: Device),
                tensor(samples.Select(s => (long)s.Item).ToArray(), device: Device),
                tensor(history, device: Device).reshape(samples.Count, h),
                tensor(samples.Select(s => s.Label ? 1f : 0f).ToArray(), device: Device));
        }

        var maxGenres = data.Options.MaxGenres;
        var genres = new long[(data.Items + 1) * maxGenres];
        var counts = new float[data.Items + 1];
        for (var i = 0; i <= data.Items; i++)
        {
            var g = data.ItemGenres[i];
            for (var j = 0; j < g.Length; j++)
            {
                genres[(i * maxGenres) + j] = g[j];
            }

            counts[i] = Math.Max(1, g.Length);
        }

        _itemGenres = tensor(genres, device: Device).reshape(data.Items + 1, maxGenres);
        _itemGenreCounts = tensor(counts, device: Device).unsqueeze(1);
        var user = features == DinFeatures.UserItemGenre;
        Layout =
        [
            .. user ? new TensorSpec[] { new("user.embedding", TensorDtype.F32, [data.Users + 1, Embedding]) } : [],
            new("item.embedding", TensorDtype.F32, [data.Items + 1, Embedding]),
            new("genre.embedding", TensorDtype.F32, [data.Genres + 1, Embedding]),
            new("attention.0.weight", TensorDtype.F32, [AttentionHidden, 4 * Embedding]),
            new("attention.0.bias", TensorDtype.F32, [AttentionHidden]),
            new("attention.1.weight", TensorDtype.F32, [1, AttentionHidden]),
            new("attention.1.bias", TensorDtype.F32, [1]),
            new("head.0.weight", TensorDtype.F32, [128, (user ? 3 : 2) * Embedding]),
            new("head.0.bias", TensorDtype.F32, [128]),
            new("head.1.weight", TensorDtype.F32, [64, 128]),
            new("head.1.bias", TensorDtype.F32, [64]),
            new("head.2.weight", TensorDtype.F32, [1, 64]),
            new("head.2.bias", TensorDtype.F32, [1]),
        ];
    }

    /// <summary>The samples behind the task.</summary>
    public CtrDataset Data { get; }

    /// <summary>The features the head reads.</summary>
    public DinFeatures Features { get; }

    /// <summary>The model's tensors.</summary>
    public IReadOnlyList<TensorSpec> Layout { get; }

    /// <summary>The embedding tables (initialised N(0, 0.05) rather than Xavier).</summary>
    public static ISet<string> Embeddings { get; } = new HashSet<string>(["user.embedding", "item.embedding", "genre.embedding"], StringComparer.Ordinal);

    /// <inheritdoc />
    public string Name => "movielens";

    /// <inheritdoc />
    public string MetricName => "auc";

    /// <inheritdoc />
    public IReadOnlyList<string> HeadTensors { get; } = ["head.0.weight", "head.1.weight", "head.2.weight"];

    /// <summary>The head's biases (not spliced: they stay model A's).</summary>
    public IReadOnlyList<string> HeadBiases { get; } = ["head.0.bias", "head.1.bias", "head.2.bias"];

    /// <inheritdoc />
    public bool LocalBias => false;

    /// <inheritdoc />
    public int BatchSize => 1024;

    /// <inheritdoc />
    public Device Device { get; }

    /// <summary>The user index of every sample of <paramref name="split"/>, in batch order (for per-user metrics).</summary>
    public int[] UsersOf(TaskSplit split)
    {
        using var users = _splits[split].Users.cpu();
        return users.data<long>().Select(u => (int)u).ToArray();
    }

    /// <inheritdoc />
    public IEnumerable<TaskBatch> Batches(TaskSplit split, int batchSize, int shuffleSeed)
    {
        var (users, items, history, labels) = _splits[split];
        var n = users.shape[0];
        using var order = BatchOrder.Of(split, n, shuffleSeed, Device);
        for (long start = 0; start < n; start += batchSize)
        {
            using var index = order.narrow(0, start, Math.Min(batchSize, n - start));
            yield return new TaskBatch(new Dictionary<string, Tensor>
            {
                ["user"] = BatchOrder.Rows(users, index),
                ["item"] = BatchOrder.Rows(items, index),
                ["history"] = BatchOrder.Rows(history, index),
            }, BatchOrder.Rows(labels, index));
        }
    }

    /// <inheritdoc />
    public Tensor Logits(IReadOnlyDictionary<string, Tensor> parameters, TaskBatch batch)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        var target = Item(parameters, batch.Inputs["item"]);
        var historyIds = batch.Inputs["history"];
        var (b, h) = (historyIds.shape[0], historyIds.shape[1]);
        var history = Item(parameters, historyIds.reshape(-1)).reshape(b, h, Embedding);
        var t = target.unsqueeze(1).expand(b, h, Embedding);
        var unit = cat([history, t, history.sub(t), history.mul(t)], 2);
        var weights = nn.functional.linear(nn.functional.linear(unit, parameters["attention.0.weight"], parameters["attention.0.bias"]).sigmoid(),
            parameters["attention.1.weight"], parameters["attention.1.bias"]);
        var mask = historyIds.gt(0).unsqueeze(2).to_type(ScalarType.Float32);
        var interest = weights.mul(mask).mul(history).sum(1);
        var x = Features == DinFeatures.UserItemGenre
            ? cat([parameters["user.embedding"].index_select(0, batch.Inputs["user"]), target, interest], 1)
            : cat([target, interest], 1);
        x = nn.functional.linear(x, parameters["head.0.weight"], parameters["head.0.bias"]).tanh();
        x = nn.functional.linear(x, parameters["head.1.weight"], parameters["head.1.bias"]).tanh();
        return nn.functional.linear(x, parameters["head.2.weight"], parameters["head.2.bias"]).reshape(-1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Loss(Tensor logits, Tensor labels) => nn.functional.binary_cross_entropy_with_logits(logits, labels);

    /// <inheritdoc />
    public double Metric(Tensor logits, Tensor labels) => Metrics.Auc(logits, labels);

    // A movie: its embedding plus the mean of its genres' embeddings (padding genre 0 is masked out).
    private Tensor Item(IReadOnlyDictionary<string, Tensor> parameters, Tensor ids)
    {
        var genreIds = _itemGenres.index_select(0, ids);
        var genreMask = genreIds.gt(0).unsqueeze(2).to_type(ScalarType.Float32);
        var genres = parameters["genre.embedding"].index_select(0, genreIds.reshape(-1)).reshape(genreIds.shape[0], genreIds.shape[1], Embedding);
        var genreMean = genres.mul(genreMask).sum(1).div(_itemGenreCounts.index_select(0, ids));
        return parameters["item.embedding"].index_select(0, ids).add(genreMean);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (users, items, history, labels) in _splits.Values)
        {
            users.Dispose();
            items.Dispose();
            history.Dispose();
            labels.Dispose();
        }

        _itemGenres.Dispose();
        _itemGenreCounts.Dispose();
    }
}
