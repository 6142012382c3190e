using System.Diagnostics;
using System.Globalization;
using Cki.Compute.Data.MovieLens;
using Cki.Compute.Diagnostics;
using Cki.Compute.Merging;
using Cki.Compute.Tasks;
using Cki.Compute.Tasks.Din;
using static TorchSharp.torch;

namespace Cki.Compute.Experiments.OneParent;

/// <summary>
/// The setting where merging is known to pay: one parent DIN trained on all training samples (epoch chosen on
/// validation), K children fine-tuned from it for N epochs on disjoint parts of the training samples, then every
/// integration of the children (CKI's forms on the head, the data-free methods on the head and on all tensors, task
/// arithmetic and TIES with the parent as base, the output ensemble), beside compute-matched controls that train the
/// parent on all the children's data. Everything is chosen on validation; every reported figure is on test.
/// </summary>
public static class OneParentExperiment
{
    /// <summary>Learning rate of every training except the assessment's sweep (the base models' Adam).</summary>
    public const double BaseLearningRate = 1e-3;

    /// <summary>The protocol of every row: everything chosen on validation.</summary>
    public const string Protocol = Protocols.Honest;

    /// <summary>Runs every split over the seeds; <paramref name="seedDone"/> sees the rows so far after every seed.</summary>
    public static (IReadOnlyList<ExperimentRun> Runs, ExperimentFigures Figures) Run(MovieLensData data, OneParentOptions options, Action<string>? log = null,
        Action<IReadOnlyList<ExperimentRun>, ExperimentFigures>? seedDone = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        if (options.MaxUsers is { } maxUsers)
        {
            var kept = data.Ratings.Select(r => r.UserId).Distinct().Order().Take(maxUsers).ToHashSet();
            data = data with { Ratings = data.Ratings.Where(r => kept.Contains(r.UserId)).ToList() };
        }

        var dataset = CtrDataset.Build(data, new CtrOptions { Split = options.Split, HistoryLength = options.HistoryLength });
        var (validationCoverage, testCoverage) = dataset.Coverage();
        log?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"{options.Split} split: {dataset.Train.Count} train, {dataset.Validation.Count} validation, {dataset.Test.Count} test samples; " +
            $"user seen in training: validation {validationCoverage.UserSeen:P1}, test {testCoverage.UserSeen:P1}"));
        using var task = new DinTask(dataset, features: options.Features, device: options.Device);
        var runner = new OneParentRunner(task, options, log);
        var runs = new List<ExperimentRun>();
        for (var seed = 0; seed < options.Seeds; seed++)
        {
            runs.AddRange(runner.RunSeed(seed));
            seedDone?.Invoke(runs, Figures());
        }

        return (runs, Figures());

        ExperimentFigures Figures() => new(runner.ParentEpochSeconds.DefaultIfEmpty(0).Average(), ProcessMemory.Peak, clock.Elapsed.TotalSeconds,
            new Dictionary<string, SplitCoverage> { ["validation"] = validationCoverage, ["test"] = testCoverage },
            new Dictionary<string, double>(runner.Clock.Seconds, StringComparer.Ordinal));
    }

    /// <summary>
    /// Fine-tunes one child per part from <paramref name="parent"/> for <paramref name="epochs"/> epochs on that part's
    /// training samples only; returns the children's parameters (on the CPU) in part order.
    /// </summary>
    public static List<Dictionary<string, Tensor>> FineTuneChildren(DinTask task, IReadOnlyDictionary<string, Tensor> parent, IReadOnlyList<ChildPart> parts,
        int epochs, double learningRate, int seed, int? batchSize = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(parts);
        var children = new List<Dictionary<string, Tensor>>();
        for (var k = 0; k < parts.Count; k++)
        {
            using var part = new DinTask(task.Data, parts[k].Contains, task.Features, task.Device);
            children.Add(TaskTrainer.Train(part, parent, epochs, learningRate, batchSize ?? part.BatchSize, (10 * seed) + k + 400));
        }

        return children;
    }

    /// <summary>
    /// Child 1 with <paramref name="names"/> merged from all children by <paramref name="method"/> (the parent as base);
    /// the caller disposes only the merged tensors (<see cref="MergedModel"/>).
    /// </summary>
    public static MergedModel Merge(IMergeMethod method, IReadOnlyList<Dictionary<string, Tensor>> children, IReadOnlyDictionary<string, Tensor> parent,
        IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(children);
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(names);
        var merged = new Dictionary<string, Tensor>(children[0], StringComparer.Ordinal);
        foreach (var name in names)
        {
            var output = method.Merge(new MergeInput(name, children.Select(c => c[name]).ToList(), parent[name]));
            output.Weights?.Dispose();
            merged[name] = output.Merged;
        }

        return new MergedModel(merged, children[0]);
    }
}

/// <summary>A merged model that shares child 1's tensors; disposing frees only its own.</summary>
public sealed class MergedModel(Dictionary<string, Tensor> parameters, Dictionary<string, Tensor> first) : IDisposable
{
    /// <summary>The model's tensors.</summary>
    public Dictionary<string, Tensor> Parameters => parameters;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (name, value) in parameters)
        {
            if (!ReferenceEquals(value, first[name]))
            {
                value.Dispose();
            }
        }
    }
}
