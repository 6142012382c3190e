using System.Diagnostics;
using System.Globalization;
using Cki.Compute.Devices;
using Cki.Compute.Merging;
using Cki.Compute.Method;
using Cki.Compute.Tasks;
using Cki.Compute.Tasks.Din;
using static TorchSharp.torch;
using M = Cki.Compute.Experiments.OneParent.OneParentMethods;

namespace Cki.Compute.Experiments.OneParent;

/// <summary>One seed of the one-parent experiment: the parent, its compute-matched control, then per split the children and every integration.</summary>
internal sealed class OneParentRunner(DinTask task, OneParentOptions options, Action<string>? log)
{
    private const double TiesDensity = 0.2;

    /// <summary>The setting name of a parent-only probe of the base model.</summary>
    public const string ParentProbe = "parent only (base-model probe)";

    /// <summary>Seconds per parent epoch (with its validation and test pass).</summary>
    public List<double> ParentEpochSeconds { get; } = [];

    /// <summary>Wall time by part of the run.</summary>
    public PartClock Clock { get; } = new();

    public List<ExperimentRun> RunSeed(int seed)
    {
        var rows = new List<ExperimentRun>();
        log?.Invoke($"seed {seed}: parent on all training samples, up to {options.ParentEpochs} epoch(s)");
        var (parent, parentTrack) = Clock.Time("parent", () => TrainParent(seed));
        try
        {
            var parentEpoch = parentTrack.Best(Selection.Validation);
            if (options.ParentOnly)
            {
                return [Row(M.Parent, parentTrack.TestAt(parentEpoch), parentEpoch) with { ValidationAuc = parentTrack.Validation[parentEpoch - 1], Setting = ParentProbe, Seed = seed }];
            }

            // Compute-matched: the children together train N epochs' worth of samples; the control trains the parent
            // N epochs on all of them, and one more for the retraining rows.
            log?.Invoke($"  control: parent + {options.ChildEpochs + 1} epoch(s) on all training samples");
            var control = Clock.Time("controls", () => Track(parent, options.ChildEpochs + 1, 300 + seed));
            foreach (var spec in options.Splits)
            {
                log?.Invoke($"  {spec.Setting}");
                var section = new List<ExperimentRun>
                {
                    Row(M.Parent, parentTrack.TestAt(parentEpoch), parentEpoch) with { ValidationAuc = parentTrack.Validation[parentEpoch - 1] },
                };
                section.AddRange(RunSplit(spec, parent, seed));
                section.Add(Row(M.ParentControl(options.ChildEpochs), control.TestAt(options.ChildEpochs), options.ChildEpochs));
                section.Add(Row(M.ParentControl(options.ChildEpochs + 1), control.TestAt(options.ChildEpochs + 1), options.ChildEpochs + 1));
                rows.AddRange(section.Select(r => r with { Setting = spec.Setting, Seed = seed }));
            }
        }
        finally
        {
            Release(parent);
        }

        return rows;
    }

    private List<ExperimentRun> RunSplit(ChildSplitSpec spec, Dictionary<string, Tensor> parent, int seed)
    {
        var parts = ChildSplits.Of(spec.Kind, task.Data.Train, spec.Children, seed);
        var children = Clock.Time("children", () => OneParentExperiment.FineTuneChildren(task, parent, parts, options.ChildEpochs, OneParentExperiment.BaseLearningRate, seed, options.BatchSize));
        try
        {
            return Integrate(spec, parts, children, parent, seed);
        }
        finally
        {
            children.ForEach(Release);
        }
    }

    private List<ExperimentRun> Integrate(ChildSplitSpec spec, IReadOnlyList<ChildPart> parts, List<Dictionary<string, Tensor>> children, Dictionary<string, Tensor> parent, int seed)
    {
        var rows = new List<ExperimentRun>();
        var validation = children.Select(c => TaskEvaluation.Evaluate(task, c, TaskSplit.Validation)).ToList();
        var tests = children.Select(c => Test(c)).ToList();
        for (var k = 0; k < children.Count; k++)
        {
            rows.Add(Row(M.Child(k + 1, parts[k].Name), tests[k], options.ChildEpochs) with { ValidationAuc = validation[k] });
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"    child {k + 1} ({parts[k].Name}): validation AUC {validation[k]:F4}, test AUC {tests[k]["AUC"]:F4}"));
        }

        var best = validation.IndexOf(validation.Max());
        rows.Add(Row(M.BestChild, tests[best], options.ChildEpochs) with { Choice = $"child {best + 1}" });
        rows.Add(Row(M.Ensemble(children.Count), RecommendationMetrics.Evaluate(task, children, TaskSplit.Test)));

        var head = task.HeadTensors;
        var all = task.Layout.Select(s => s.Name).ToList();
        var lambdas = new[] { 1.0 / children.Count, 0.5, 1.0 }.Distinct().ToArray();
        Clock.Time("data-free merges", () =>
        {
            foreach (var (names, averaging, arithmetic, ties, global) in new[]
            {
                (head, M.Averaging, M.TaskArithmetic, M.Ties, M.GlobalOnly),
                (all, M.AveragingAll, M.TaskArithmeticAll, M.TiesAll, M.GlobalOnlyAll),
            })
            {
                rows.Add(Single(averaging, new AverageMethod(), names));
                rows.Add(Single(global, new GlobalOnlyMethod(SpliceMode.Soft, HistogramMode.Reference, GlobalInformation.DefaultAmplitude, GlobalInformation.DefaultSteepness), names));
                rows.Add(Chosen(arithmetic, lambdas.Select(l => ($"lambda {l:0.###}", (IMergeMethod)new TaskArithmeticMethod(l))), names));
                rows.Add(Chosen(ties, lambdas.Select(l => ($"lambda {l:0.###}", (IMergeMethod)new TiesMethod(TiesDensity, l))), names));
            }
        });

        var assessment = new AssessmentOptions { Epochs = options.AssessmentEpochs, Seed = seed };
        var models = children.Cast<IReadOnlyDictionary<string, Tensor>>().ToList();
        Clock.Time("CKI assessments (and the retraining from CKI soft)", () =>
        {
            var forms = new List<(CompatibilityForm Form, string Soft, string? Hard)> { (CompatibilityForm.ExpSoftmax, M.CkiSoft, M.CkiHard) };
            if (children.Count == 2)
            {
                forms.Add((CompatibilityForm.Linear, M.CkiLinearSoft, M.CkiLinearHard));
            }

            forms.Add((CompatibilityForm.LocalOnly, M.LocalOnly, null));
            foreach (var (form, softName, hardName) in forms)
            {
                log?.Invoke($"    CKI assessment ({form}, P only)");
                using var cki = Assessment.Sweep(task, models, head, assessment with { Form = form }, options.LearningRates);
                var choice = string.Create(CultureInfo.InvariantCulture, $"lr {cki.LearningRate}");
                using (var soft = OneParentExperiment.Merge(new WeightedSpliceMethod("cki", SpliceMode.Soft, cki.Weights), children, parent, head))
                {
                    rows.Add(Row(softName, Test(soft.Parameters), cki.BestEpoch) with { Choice = choice });
                    if (form == CompatibilityForm.ExpSoftmax)
                    {
                        rows.Add(Retrain(M.RetrainCki, soft.Parameters, seed));
                    }
                }

                if (hardName is not null)
                {
                    using var hard = OneParentExperiment.Merge(new WeightedSpliceMethod("cki", SpliceMode.Hard, cki.Weights), children, parent, head);
                    rows.Add(Row(hardName, Test(hard.Parameters), cki.BestEpoch) with { Choice = choice });
                }
            }
        });

        Clock.Time("retraining", () =>
        {
            using var average = OneParentExperiment.Merge(new AverageMethod(), children, parent, head);
            rows.Add(Retrain(M.RetrainAveraging, average.Parameters, seed));
            rows.Add(Retrain(M.MoreBestChild, children[best], seed));
        });
        return rows;

        ExperimentRun Single(string name, IMergeMethod method, IEnumerable<string> names)
        {
            using var merged = OneParentExperiment.Merge(method, children, parent, names);
            return Row(name, Test(merged.Parameters));
        }

        // The candidate with the best validation AUC (ties: the first) is the one reported on test.
        ExperimentRun Chosen(string name, IEnumerable<(string Choice, IMergeMethod Method)> candidates, IEnumerable<string> names)
        {
            var (bestValidation, bestChoice) = (double.NegativeInfinity, string.Empty);
            IReadOnlyDictionary<string, double>? bestTest = null;
            foreach (var (choice, method) in candidates)
            {
                using var merged = OneParentExperiment.Merge(method, children, parent, names);
                var metric = TaskEvaluation.Evaluate(task, merged.Parameters, TaskSplit.Validation);
                if (metric > bestValidation)
                {
                    (bestValidation, bestChoice, bestTest) = (metric, choice, Test(merged.Parameters));
                }
            }

            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"    {name}: {bestChoice} chosen on validation (AUC {bestValidation:F4})"));
            return Row(name, bestTest!) with { Choice = bestChoice };
        }
    }

    // The same shuffle seed for every one-epoch retraining of a seed, so they differ only by their start.
    private ExperimentRun Retrain(string name, IReadOnlyDictionary<string, Tensor> start, int seed)
    {
        var retrained = TaskTrainer.Train(task, start, 1, OneParentExperiment.BaseLearningRate, options.BatchSize, 100 + seed);
        var row = Row(name, Test(retrained), 1);
        Release(retrained);
        return row;
    }

    private (Dictionary<string, Tensor> Parent, EpochTrack Track) TrainParent(int seed)
    {
        var start = options.PyTorchInit ? PyTorchStart(seed) : TaskTrainer.Initialize(task.Layout, seed, DinTask.Embeddings);
        var track = new EpochTrack();
        Dictionary<string, Tensor>? kept = null;
        var clock = Stopwatch.StartNew();
        var last = TaskTrainer.Train(task, start, options.ParentEpochs, OneParentExperiment.BaseLearningRate, options.BatchSize, seed, epochDone: (epoch, loss, parameters) =>
        {
            track.Record(task, parameters);
            log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"    parent epoch {epoch}/{options.ParentEpochs}: loss {loss:F4}, validation AUC {track.Validation[^1]:F4}, test AUC {track.TestAt(epoch)["AUC"]:F4}"));
            if (track.Best(Selection.Validation) == epoch)
            {
                if (kept is not null)
                {
                    Release(kept);
                }

                kept = TensorPlacement.ToCpu(parameters);
            }
        });
        ParentEpochSeconds.Add(clock.Elapsed.TotalSeconds / options.ParentEpochs);
        Release(start);
        Release(last);
        log?.Invoke($"    parent kept epoch {track.Best(Selection.Validation)} on validation");
        return (kept!, track);
    }

    // PyTorch's defaults for nn.Embedding (N(0, 1)) and nn.Linear (weight and bias U(+/- 1/sqrt(in))); a bias's fan-in
    // is that of the matrix it follows in the layout.
    private Dictionary<string, Tensor> PyTorchStart(int seed)
    {
        using var generator = new Generator((ulong)(seed + 1));
        var parameters = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        long fanIn = 1;
        foreach (var spec in task.Layout)
        {
            if (DinTask.Embeddings.Contains(spec.Name))
            {
                parameters[spec.Name] = randn([.. spec.Shape], generator: generator);
                continue;
            }

            fanIn = spec.Shape.Count == 2 ? spec.Shape[1] : fanIn;
            var bound = 1.0 / Math.Sqrt(fanIn);
            parameters[spec.Name] = rand([.. spec.Shape], generator: generator).mul_(2 * bound).sub_(bound);
        }

        return parameters;
    }

    private EpochTrack Track(IReadOnlyDictionary<string, Tensor> start, int epochs, int shuffleSeed)
    {
        var track = new EpochTrack();
        Release(TaskTrainer.Train(task, start, epochs, OneParentExperiment.BaseLearningRate, options.BatchSize, shuffleSeed,
            epochDone: (_, _, parameters) => track.Record(task, parameters)));
        return track;
    }

    private IReadOnlyDictionary<string, double> Test(IReadOnlyDictionary<string, Tensor> model) => RecommendationMetrics.Evaluate(task, [model], TaskSplit.Test);

    private static ExperimentRun Row(string method, IReadOnlyDictionary<string, double> test, int? epoch = null) =>
        new(string.Empty, OneParentExperiment.Protocol, method, 0, test, epoch);

    private static void Release(Dictionary<string, Tensor> tensors)
    {
        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }
    }
}
