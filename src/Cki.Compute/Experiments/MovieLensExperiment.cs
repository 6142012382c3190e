using System.Diagnostics;
using System.Globalization;
using Cki.Compute.Data.MovieLens;
using Cki.Compute.Diagnostics;
using Cki.Compute.Tasks.Din;
using static TorchSharp.torch;

namespace Cki.Compute.Experiments;

/// <summary>Sizes and choices of the MovieLens experiment.</summary>
public sealed record ExperimentOptions
{
    /// <summary>Seed pairs (model A and B per pair); intervals are over these.</summary>
    public int Seeds { get; init; } = 5;

    /// <summary>Epochs of the input models; the kept epoch is chosen per protocol.</summary>
    public int InputEpochs { get; init; } = 6;

    /// <summary>Epochs of every integration's training (CKI's assessment, the paper protocol, the controls).</summary>
    public int AssessmentEpochs { get; init; } = 4;

    /// <summary>Learning rates swept by the honest assessment (P only).</summary>
    public IReadOnlyList<double> LearningRates { get; init; } = [1e-3, 1e-2];

    /// <summary>Learning rate of the paper protocol's training of P and the trunk (the authors': 1e-3).</summary>
    public double PaperLearningRate { get; init; } = 1e-3;

    /// <summary>How the samples are split.</summary>
    public CtrSplit Split { get; init; } = CtrSplit.PerUser;

    /// <summary>Which DIN the models are.</summary>
    public DinFeatures Features { get; init; } = DinTask.DefaultFeatures;

    /// <summary>
    /// The settings run: "same data", "shift" and/or "shared trunk". The default leaves out the shared trunk, which adds
    /// about a third to a run that is already near an hour; it is opt-in.
    /// </summary>
    public IReadOnlyList<string> Settings { get; init; } = [MovieLensExperiment.SameData, MovieLensExperiment.Shift];

    /// <summary>Whether the paper protocol (and its validation-selected twin) runs beside the honest one.</summary>
    public bool PaperProtocol { get; init; } = true;

    /// <summary>Whether the honest protocol also runs CKI's linear form (F1), soft and hard (off by default: the runs before issue 22 had no such rows).</summary>
    public bool LinearForm { get; init; }

    /// <summary>Train and evaluate the input models only (no integration): to choose the model on validation.</summary>
    public bool InputsOnly { get; init; }

    /// <summary>Keep only the users with the smallest ids (tests); null keeps all.</summary>
    public int? MaxUsers { get; init; }

    /// <summary>Where the tasks keep their data and every model trains and is evaluated (the CPU by default).</summary>
    public Device Device { get; init; } = CPU;

    /// <summary>The small configuration for CI and demos.</summary>
    public static ExperimentOptions Quick { get; } = new()
    {
        Seeds = 1, InputEpochs = 1, AssessmentEpochs = 1, LearningRates = [1e-2], Settings = [MovieLensExperiment.SameData],
    };
}

/// <summary>One row of the experiment: a setting, a protocol, a method, a seed pair and its TEST metrics.</summary>
/// <param name="Setting">"same data" (the paper's: seeds differ) or "shift" (early vs late training period).</param>
/// <param name="Protocol">One of the names in <see cref="Protocols"/>.</param>
/// <param name="Method">The model or integration method.</param>
/// <param name="Seed">The seed pair.</param>
/// <param name="Test">Metrics on the test split.</param>
/// <param name="Epoch">The kept epoch of the row's training, where it has one.</param>
/// <param name="ValidationAuc">The validation AUC of an input model's kept epoch (input rows only).</param>
/// <param name="Choice">What validation chose for the row, where it chose more than an epoch (a learning rate, a lambda, a child).</param>
public sealed record ExperimentRun(string Setting, string Protocol, string Method, int Seed, IReadOnlyDictionary<string, double> Test, int? Epoch = null,
    double? ValidationAuc = null, string? Choice = null);

/// <summary>The protocols, as named in results.</summary>
public static class Protocols
{
    /// <summary>Everything chosen on validation; CKI trains P only.</summary>
    public const string Honest = "honest";

    /// <summary>The authors' rules (P and the trunk trained, head biases A's) with validation selection.</summary>
    public const string PaperValidation = "paper protocol, selected on validation";

    /// <summary>The authors' rules as their code runs them: epochs and inputs picked on the TEST split.</summary>
    public const string PaperTest = "paper protocol (optimistic: selected on test, as the authors' code)";

    /// <summary>All, in report order.</summary>
    public static IReadOnlyList<string> All { get; } = [Honest, PaperValidation, PaperTest];
}

/// <summary>Figures of the run itself.</summary>
/// <param name="SecondsPerInputEpoch">Wall time of one training epoch of an input model (with its evaluation).</param>
/// <param name="PeakResidentBytes">Peak resident memory of the process.</param>
/// <param name="TotalSeconds">Wall time of the whole experiment.</param>
/// <param name="Coverage">Per split ("validation", "test"), the share of samples whose user and item occur in training.</param>
/// <param name="SecondsByPart">Wall time by part of the run (inputs, honest, paper protocol, controls).</param>
public sealed record ExperimentFigures(double SecondsPerInputEpoch, long PeakResidentBytes, double TotalSeconds,
    IReadOnlyDictionary<string, SplitCoverage> Coverage, IReadOnlyDictionary<string, double> SecondsByPart);

/// <summary>
/// The paper's experiment on MovieLens with DIN: two input models per seed pair, then every integration beside them,
/// evaluated on the held-out test split under the protocols of <see cref="Protocols"/>, with compute-matched controls
/// that train as long as CKI did without B.
/// </summary>
public static class MovieLensExperiment
{
    /// <summary>The setting where A and B differ by seed.</summary>
    public const string SameData = "same data";

    /// <summary>The setting where A trains on the early half of the training part and B on the late half.</summary>
    public const string Shift = "shift";

    /// <summary>The setting where B is a second head trained from another seed on A's frozen trunk (honest protocol only).</summary>
    public const string SharedTrunk = "shared trunk";

    /// <summary>
    /// Runs the settings over the seed pairs; <paramref name="pairDone"/>, when given, sees the rows and figures so far
    /// after every seed pair (so a long run can report what it has).
    /// </summary>
    public static (IReadOnlyList<ExperimentRun> Runs, ExperimentFigures Figures) Run(MovieLensData data, ExperimentOptions options, Action<string>? log = null,
        Action<IReadOnlyList<ExperimentRun>, ExperimentFigures>? pairDone = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        if (options.MaxUsers is { } maxUsers)
        {
            var kept = data.Ratings.Select(r => r.UserId).Distinct().Order().Take(maxUsers).ToHashSet();
            data = data with { Ratings = data.Ratings.Where(r => kept.Contains(r.UserId)).ToList() };
        }

        var dataset = CtrDataset.Build(data, new CtrOptions { Split = options.Split });
        var (validationCoverage, testCoverage) = dataset.Coverage();
        log?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"{options.Split} split: {dataset.Train.Count} train, {dataset.Validation.Count} validation, {dataset.Test.Count} test samples; " +
            $"user seen in training: validation {validationCoverage.UserSeen:P1}, test {testCoverage.UserSeen:P1}; " +
            $"movie seen in training: validation {validationCoverage.ItemSeen:P1}, test {testCoverage.ItemSeen:P1}"));
        var middle = dataset.Train.Select(s => s.Timestamp).Order().ElementAt(dataset.Train.Count / 2);
        using var task = new DinTask(dataset, features: options.Features, device: options.Device);
        using var early = new DinTask(dataset, s => s.Timestamp < middle, options.Features, options.Device);
        using var late = new DinTask(dataset, s => s.Timestamp >= middle, options.Features, options.Device);
        var runs = new List<ExperimentRun>();
        var context = new PairContext(task, options, log);
        foreach (var setting in options.Settings)
        {
            var (taskA, taskB) = setting switch
            {
                SameData or SharedTrunk => (task, task),
                Shift => (early, late),
                _ => throw new ArgumentException($"Unknown setting '{setting}'; known: {SameData}, {Shift}, {SharedTrunk}."),
            };
            for (var seed = 0; seed < options.Seeds; seed++)
            {
                log?.Invoke($"{setting}, seed pair {seed}");
                var pair = setting == SharedTrunk ? context.RunSharedTrunkPair(seed) : context.RunPair(taskA, taskB, seed);
                runs.AddRange(pair.Select(r => r with { Setting = setting }));
                pairDone?.Invoke(runs, Figures());
            }
        }

        return (runs, Figures());

        ExperimentFigures Figures() => new(context.InputEpochSeconds.DefaultIfEmpty(0).Average(), ProcessMemory.Peak, clock.Elapsed.TotalSeconds,
            new Dictionary<string, SplitCoverage> { ["validation"] = validationCoverage, ["test"] = testCoverage },
            new Dictionary<string, double>(context.Clock.Seconds, StringComparer.Ordinal));
    }
}
