using System.Diagnostics;
using System.Globalization;
using Cki.Compute.Data.MovieLens;
using Cki.Compute.Diagnostics;
using Cki.Compute.Merging;
using Cki.Compute.Method;
using Cki.Compute.Tasks;
using Cki.Compute.Tasks.Din;
using static TorchSharp.torch;

namespace Cki.Compute.Experiments;

/// <summary>Sizes of the MovieLens experiment.</summary>
public sealed record ExperimentOptions
{
    /// <summary>Seed pairs (model A and B per pair); mean and spread are over these.</summary>
    public int Seeds { get; init; } = 3;

    /// <summary>Epochs of the input models at most; the best validation epoch is kept.</summary>
    public int InputEpochs { get; init; } = 5;

    /// <summary>Epochs of the local assessment at most.</summary>
    public int AssessmentEpochs { get; init; } = 10;

    /// <summary>Learning rates swept by the assessment.</summary>
    public IReadOnlyList<double> LearningRates { get; init; } = [1e-3, 1e-2];

    /// <summary>The small configuration for CI and demos.</summary>
    public static ExperimentOptions Quick { get; } = new() { Seeds = 1, InputEpochs = 2, AssessmentEpochs = 2, LearningRates = [1e-2] };
}

/// <summary>One row of the experiment: a setting, a method, a seed pair and its TEST metrics.</summary>
/// <param name="Setting">"same data" (the paper's: seeds 0 and 1) or "shift" (early vs late training period).</param>
/// <param name="Method">The model or integration method.</param>
/// <param name="Seed">The seed pair.</param>
/// <param name="Test">Metrics on the test split.</param>
public sealed record ExperimentRun(string Setting, string Method, int Seed, IReadOnlyDictionary<string, double> Test);

/// <summary>Figures of the run itself.</summary>
/// <param name="SecondsPerInputEpoch">Wall time of one training epoch of an input model.</param>
/// <param name="PeakResidentBytes">Peak resident memory of the process.</param>
/// <param name="TotalSeconds">Wall time of the whole experiment.</param>
public sealed record ExperimentFigures(double SecondsPerInputEpoch, long PeakResidentBytes, double TotalSeconds);

/// <summary>
/// The paper's experiment on MovieLens with DIN: two input models, then every integration beside them, evaluated
/// on the held-out test period. Selection (input epochs, assessment epoch and learning rate) uses validation only.
/// CKI splices the head's three weight matrices; the rest comes from model A (as the authors do).
/// </summary>
public static class MovieLensExperiment
{
    /// <summary>Runs both settings over the seed pairs.</summary>
    public static (IReadOnlyList<ExperimentRun> Runs, ExperimentFigures Figures) Run(MovieLensData data, ExperimentOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var dataset = CtrDataset.Build(data);
        var middle = dataset.Train.Select(s => s.Timestamp).Order().ElementAt(dataset.Train.Count / 2);
        using var task = new DinTask(dataset);
        using var early = new DinTask(dataset, s => s.Timestamp < middle);
        using var late = new DinTask(dataset, s => s.Timestamp >= middle);
        var runs = new List<ExperimentRun>();
        var epochSeconds = new List<double>();
        foreach (var (setting, taskA, taskB) in new[] { ("same data", task, task), ("shift", early, late) })
        {
            for (var seed = 0; seed < options.Seeds; seed++)
            {
                log?.Invoke($"{setting}, seed pair {seed}: training model A");
                var a = TrainInput(taskA, 2 * seed, options, epochSeconds, log);
                log?.Invoke($"{setting}, seed pair {seed}: training model B");
                var b = TrainInput(taskB, (2 * seed) + 1, options, epochSeconds, log);
                try
                {
                    runs.AddRange(Integrate(task, a, b, options, seed, log).Select(r => new ExperimentRun(setting, r.Method, seed, r.Test)));
                }
                finally
                {
                    Release(a);
                    Release(b);
                }
            }
        }

        return (runs, new ExperimentFigures(epochSeconds.Average(), ProcessMemory.Peak, clock.Elapsed.TotalSeconds));
    }

    private static Dictionary<string, Tensor> TrainInput(DinTask task, int seed, ExperimentOptions options, List<double> epochSeconds, Action<string>? log)
    {
        var start = TaskTrainer.Initialize(task.Layout, seed, DinTask.Embeddings);
        var clock = Stopwatch.StartNew();
        var (best, epoch, validation) = TaskTrainer.TrainBest(task, start, options.InputEpochs, 1e-3, task.BatchSize, seed, line => log?.Invoke("  " + line));
        // Each epoch also evaluates validation; that is part of training as run here.
        epochSeconds.Add(clock.Elapsed.TotalSeconds / options.InputEpochs);
        log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"  kept epoch {epoch} (validation AUC {validation:F4})"));
        Release(start);
        return best;
    }

    private static List<(string Method, IReadOnlyDictionary<string, double> Test)> Integrate(DinTask task, Dictionary<string, Tensor> a,
        Dictionary<string, Tensor> b, ExperimentOptions options, int seed, Action<string>? log)
    {
        var head = task.HeadTensors;
        var rows = new List<(string, IReadOnlyDictionary<string, double>)>();
        void Add(string method, params IReadOnlyDictionary<string, Tensor>[] models) =>
            rows.Add((method, RecommendationMetrics.Evaluate(task, models, TaskSplit.Test)));

        Add("model A", a);
        Add("model B", b);
        Add("output ensemble (2x cost)", a, b);
        foreach (var (name, method) in new (string, IMergeMethod)[]
        {
            ("averaging", new AverageMethod()),
            ("pruning (reference)", new PruneReferenceMethod(0.02)),
            ("pruning (magnitude)", new PruneMagnitudeMethod(0.02)),
            ("CKI global-only", new GlobalOnlyMethod(SpliceMode.Soft, HistogramMode.Reference, GlobalInformation.DefaultAmplitude, GlobalInformation.DefaultSteepness)),
        })
        {
            var merged = Apply(method, a, b, head);
            Add(name, merged);
            ReleaseMerged(merged, a);
        }

        var assessment = new AssessmentOptions { Epochs = options.AssessmentEpochs, Seed = seed };
        log?.Invoke("  CKI assessment (exp-softmax)");
        using (var cki = Assessment.Sweep(task, [a, b], head, assessment, options.LearningRates, line => log?.Invoke("    " + line)))
        {
            var soft = Apply(new WeightedSpliceMethod("cki", SpliceMode.Soft, cki.Weights), a, b, head);
            var hard = Apply(new WeightedSpliceMethod("cki", SpliceMode.Hard, cki.Weights), a, b, head);
            Add("CKI soft", soft);
            Add("CKI hard", hard);
            log?.Invoke("  one retraining epoch from CKI, and one more epoch of A");
            var retrained = TaskTrainer.Train(task, soft, 1, 1e-3, task.BatchSize, 100 + seed);
            var moreA = TaskTrainer.Train(task, a, 1, 1e-3, task.BatchSize, 100 + seed);
            Add("1 retraining epoch from CKI", retrained);
            Add("1 more epoch of A", moreA);
            Release(retrained);
            Release(moreA);
            ReleaseMerged(soft, a);
            ReleaseMerged(hard, a);
        }

        log?.Invoke("  CKI assessment (local-only)");
        using (var local = Assessment.Sweep(task, [a, b], head, assessment with { Form = CompatibilityForm.LocalOnly }, options.LearningRates))
        {
            var merged = Apply(new WeightedSpliceMethod("local-only", SpliceMode.Soft, local.Weights), a, b, head);
            Add("CKI local-only", merged);
            ReleaseMerged(merged, a);
        }

        return rows;
    }

    /// <summary>Model A with the head merged by <paramref name="method"/>.</summary>
    private static Dictionary<string, Tensor> Apply(IMergeMethod method, Dictionary<string, Tensor> a, Dictionary<string, Tensor> b, IReadOnlyList<string> head)
    {
        var merged = new Dictionary<string, Tensor>(a, StringComparer.Ordinal);
        foreach (var name in head)
        {
            var output = method.Merge(new MergeInput(name, [a[name], b[name]], null));
            output.Weights?.Dispose();
            merged[name] = output.Merged;
        }

        return merged;
    }

    private static void ReleaseMerged(Dictionary<string, Tensor> merged, Dictionary<string, Tensor> a)
    {
        foreach (var (name, value) in merged)
        {
            if (!ReferenceEquals(value, a[name]))
            {
                value.Dispose();
            }
        }
    }

    private static void Release(Dictionary<string, Tensor> tensors)
    {
        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }
    }
}
