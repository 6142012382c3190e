using System.Diagnostics;
using System.Globalization;
using Cki.Compute.Devices;
using Cki.Compute.Merging;
using Cki.Compute.Method;
using Cki.Compute.Tasks;
using Cki.Compute.Tasks.Din;
using static TorchSharp.torch;

namespace Cki.Compute.Experiments;

/// <summary>
/// One seed pair of the experiment: trains A and B (each tracked per epoch, with the validation-picked and the
/// test-picked epoch kept), then produces the rows of every protocol. All integrations and controls train on the whole
/// training part, with Adam at the base learning rate 1e-3 unless swept.
/// </summary>
internal sealed class PairContext(DinTask task, ExperimentOptions options, Action<string>? log)
{
    private const double BaseLearningRate = 1e-3;

    /// <summary>The shared-trunk setting's compute-matched control: A's head trained on, the trunk frozen, no B or P.</summary>
    public const string SharedHeadControl = "control: A's head, trunk frozen";

    /// <summary>Seconds per input-model epoch, for the report.</summary>
    public List<double> InputEpochSeconds { get; } = [];

    /// <summary>Wall time by part of the run.</summary>
    public PartClock Clock { get; } = new();

    public List<ExperimentRun> RunPair(DinTask taskA, DinTask taskB, int seed)
    {
        var rows = new List<ExperimentRun>();
        using var a = Clock.Time("input models", () => TrainInput(taskA, 2 * seed, "A"));
        using var b = Clock.Time("input models", () => TrainInput(taskB, (2 * seed) + 1, "B"));
        if (options.InputsOnly)
        {
            return Inputs(a, b, Selection.Validation, Protocols.Honest).Select(r => r with { Seed = seed }).ToList();
        }

        var controls = Clock.Time("controls", () => TrainControls(a.At(Selection.Validation), b.At(Selection.Validation), seed));
        Clock.Time("honest", () => rows.AddRange(Honest(a, b, controls, seed)));
        if (options.PaperProtocol)
        {
            var paper = Clock.Time("paper protocol", () => TrainPaper(a.At(Selection.Validation), b.At(Selection.Validation), seed));
            rows.AddRange(Paper(a, b, paper, controls, Selection.Validation));
            var sameInputs = a.Epoch(Selection.Validation) == a.Epoch(Selection.Test) && b.Epoch(Selection.Validation) == b.Epoch(Selection.Test);
            if (!sameInputs)
            {
                log?.Invoke("  test-picked inputs differ from the validation-picked ones: paper protocol and controls again from them");
            }

            var paperTest = sameInputs ? paper : Clock.Time("paper protocol", () => TrainPaper(a.At(Selection.Test), b.At(Selection.Test), seed));
            var controlsTest = sameInputs ? controls : Clock.Time("controls", () => TrainControls(a.At(Selection.Test), b.At(Selection.Test), seed));
            rows.AddRange(Paper(a, b, paperTest, controlsTest, Selection.Test));
        }

        return rows.Select(r => r with { Seed = seed }).ToList();
    }

    /// <summary>
    /// The shared-trunk setting: A as usual, then B a second head from another seed on A's validation-kept trunk, which
    /// stays frozen; the honest protocol only (the paper protocol trains the trunk, which this setting rules out).
    /// </summary>
    public List<ExperimentRun> RunSharedTrunkPair(int seed)
    {
        using var a = Clock.Time("input models", () => TrainInput(task, 2 * seed, "A"));
        var ma = a.At(Selection.Validation);
        using var b = Clock.Time("input models", () => TrainInput(task, (2 * seed) + 1, "B (second head on A's frozen trunk)", ma));
        foreach (var rule in new[] { Selection.Validation, Selection.Test })
        {
            SharedTrunk.CheckTrunk(task, ma, b.At(rule));
        }

        if (options.InputsOnly)
        {
            return Inputs(a, b, Selection.Validation, Protocols.Honest).Select(r => r with { Seed = seed }).ToList();
        }

        var control = Clock.Time("controls", () =>
        {
            log?.Invoke($"  control: A's head, trunk frozen, {options.AssessmentEpochs} epoch(s)");
            var track = new EpochTrack();
            Release(TaskTrainer.Train(task, ma, options.AssessmentEpochs, BaseLearningRate, task.BatchSize, 200 + seed,
                epochDone: (_, _, parameters) => track.Record(task, parameters), frozen: SharedTrunk.Trunk(task)));
            return track;
        });
        return Clock.Time("honest", () => Honest(a, b, null, seed, control)).Select(r => r with { Seed = seed }).ToList();
    }

    private List<ExperimentRun> Honest(InputModel a, InputModel b, Controls? controls, int seed, EpochTrack? sharedControl = null)
    {
        var rows = Inputs(a, b, Selection.Validation, Protocols.Honest);
        var (ma, mb) = (a.At(Selection.Validation), b.At(Selection.Validation));
        var head = task.HeadTensors;
        foreach (var (name, method) in new (string, IMergeMethod)[]
        {
            ("pruning (reference)", new PruneReferenceMethod(0.02)),
            ("pruning (magnitude)", new PruneMagnitudeMethod(0.02)),
            ("CKI global-only", new GlobalOnlyMethod(SpliceMode.Soft, HistogramMode.Reference, GlobalInformation.DefaultAmplitude, GlobalInformation.DefaultSteepness)),
        })
        {
            using var merged = new Merged(Apply(method, ma, mb, head), ma);
            rows.Add(Row(Protocols.Honest, name, Test(merged.Parameters)));
        }

        var assessment = new AssessmentOptions { Epochs = options.AssessmentEpochs, Seed = seed };
        log?.Invoke("  CKI assessment (exp-softmax, P only)");
        int epochs;
        using (var cki = Assessment.Sweep(task, [ma, mb], head, assessment, options.LearningRates, line => log?.Invoke("    " + line)))
        {
            epochs = cki.BestEpoch;
            using var soft = new Merged(Apply(new WeightedSpliceMethod("cki", SpliceMode.Soft, cki.Weights), ma, mb, head), ma);
            using var hard = new Merged(Apply(new WeightedSpliceMethod("cki", SpliceMode.Hard, cki.Weights), ma, mb, head), ma);
            rows.Add(Row(Protocols.Honest, "CKI soft", Test(soft.Parameters), epochs));
            rows.Add(Row(Protocols.Honest, "CKI hard", Test(hard.Parameters), epochs));
            if (controls is not null)
            {
                var retrained = TaskTrainer.Train(task, soft.Parameters, 1, BaseLearningRate, task.BatchSize, 100 + seed);
                rows.Add(Row(Protocols.Honest, "1 retraining epoch from CKI soft", Test(retrained), 1));
                Release(retrained);
            }
        }

        if (options.LinearForm)
        {
            // F1, the authors' text and vision form: not bounded near the average like exp-softmax.
            log?.Invoke("  CKI assessment (linear, P only)");
            using var linear = Assessment.Sweep(task, [ma, mb], head, assessment with { Form = CompatibilityForm.Linear }, options.LearningRates);
            using var soft = new Merged(Apply(new WeightedSpliceMethod("cki", SpliceMode.Soft, linear.Weights), ma, mb, head), ma);
            using var hard = new Merged(Apply(new WeightedSpliceMethod("cki", SpliceMode.Hard, linear.Weights), ma, mb, head), ma);
            rows.Add(Row(Protocols.Honest, "CKI soft (linear)", Test(soft.Parameters), linear.BestEpoch));
            rows.Add(Row(Protocols.Honest, "CKI hard (linear)", Test(hard.Parameters), linear.BestEpoch));
        }

        log?.Invoke("  CKI assessment (local-only, P only)");
        using (var local = Assessment.Sweep(task, [ma, mb], head, assessment with { Form = CompatibilityForm.LocalOnly }, options.LearningRates))
        {
            using var merged = new Merged(Apply(new WeightedSpliceMethod("local-only", SpliceMode.Soft, local.Weights), ma, mb, head), ma);
            rows.Add(Row(Protocols.Honest, "CKI local-only", Test(merged.Parameters), local.BestEpoch));
        }

        if (controls is not null)
        {
            rows.Add(Row(Protocols.Honest, "control: 1 more epoch of A", controls.All.TestAt(1), 1));
            rows.AddRange(controls.Rows(Protocols.Honest, Math.Min(epochs, controls.All.Epochs), null));
        }

        if (sharedControl is not null)
        {
            var n = Math.Min(epochs, sharedControl.Epochs);
            rows.Add(Row(Protocols.Honest, SharedHeadControl, sharedControl.TestAt(n), n));
        }

        return rows;
    }

    private List<ExperimentRun> Paper(InputModel a, InputModel b, EpochTrack paper, Controls controls, Selection rule)
    {
        var protocol = rule == Selection.Validation ? Protocols.PaperValidation : Protocols.PaperTest;
        var rows = Inputs(a, b, rule, protocol);
        var epoch = paper.Best(rule);
        rows.Add(Row(protocol, "CKI soft + trunk training (head biases A's)", paper.TestAt(epoch), epoch));
        // Validation selection: the controls get exactly CKI's kept number of epochs. Test selection: like everything in
        // that section, each control keeps its own best test epoch within the same budget.
        rows.AddRange(controls.Rows(protocol, rule == Selection.Validation ? epoch : null, rule));
        return rows;
    }

    private List<ExperimentRun> Inputs(InputModel a, InputModel b, Selection rule, string protocol)
    {
        var (ma, mb) = (a.At(rule), b.At(rule));
        var (testA, testB) = (a.Track.TestAt(a.Epoch(rule)), b.Track.TestAt(b.Epoch(rule)));
        var aIsBest = rule == Selection.Validation
            ? a.Track.Validation[a.Epoch(rule) - 1] >= b.Track.Validation[b.Epoch(rule) - 1]
            : testA["AUC"] >= testB["AUC"];
        using var average = new Merged(Apply(new AverageMethod(), ma, mb, task.HeadTensors), ma);
        return
        [
            Row(protocol, "model A", testA, a.Epoch(rule)) with { ValidationAuc = a.Track.Validation[a.Epoch(rule) - 1] },
            Row(protocol, "model B", testB, b.Epoch(rule)) with { ValidationAuc = b.Track.Validation[b.Epoch(rule) - 1] },
            Row(protocol, "best input", aIsBest ? testA : testB, aIsBest ? a.Epoch(rule) : b.Epoch(rule)),
            Row(protocol, "output ensemble (2x cost)", RecommendationMetrics.Evaluate(task, [ma, mb], TaskSplit.Test)),
            Row(protocol, "averaging", Test(average.Parameters)),
        ];
    }

    // With sharedTrunk given, the model is a second head: A's trunk copied and frozen, the head from seed.
    private InputModel TrainInput(DinTask inputTask, int seed, string name, IReadOnlyDictionary<string, Tensor>? sharedTrunk = null)
    {
        log?.Invoke($"  training model {name}");
        var start = sharedTrunk is null ? TaskTrainer.Initialize(inputTask.Layout, seed, DinTask.Embeddings) : SharedTrunk.StartOfSecondHead(task, sharedTrunk, seed);
        var model = new InputModel();
        var clock = Stopwatch.StartNew();
        var last = TaskTrainer.Train(inputTask, start, options.InputEpochs, BaseLearningRate, inputTask.BatchSize, seed, epochDone: (epoch, loss, parameters) =>
        {
            model.Record(task, parameters);
            log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"    epoch {epoch}/{options.InputEpochs}: loss {loss:F4}, validation AUC {model.Track.Validation[^1]:F4}, test AUC {model.Track.TestAt(epoch)["AUC"]:F4}"));
        }, frozen: sharedTrunk is null ? null : SharedTrunk.Trunk(task));
        InputEpochSeconds.Add(clock.Elapsed.TotalSeconds / options.InputEpochs);
        Release(start);
        Release(last);
        log?.Invoke($"    kept epoch {model.Epoch(Selection.Validation)} on validation, {model.Epoch(Selection.Test)} on test");
        return model;
    }

    // The authors' recommendation training: P and every trunk tensor train from A; the head's biases stay A's.
    private EpochTrack TrainPaper(Dictionary<string, Tensor> a, Dictionary<string, Tensor> b, int seed)
    {
        log?.Invoke("  paper protocol: CKI (exp-softmax) training P and the trunk, head biases A's");
        var track = new EpochTrack();
        var paper = new AssessmentOptions
        {
            Epochs = options.AssessmentEpochs, LearningRate = options.PaperLearningRate, Seed = seed, TrainTrunk = true, FrozenTensors = task.HeadBiases,
        };
        using var result = Assessment.Run(task, [a, b], task.HeadTensors, paper, epochDone: (_, parameters) => track.Record(task, parameters));
        return track;
    }

    private Controls TrainControls(Dictionary<string, Tensor> a, Dictionary<string, Tensor> b, int seed)
    {
        var head = task.HeadTensors.Concat(task.HeadBiases).ToHashSet(StringComparer.Ordinal);
        EpochTrack Run(string what, IReadOnlyDictionary<string, Tensor> start, IReadOnlySet<string>? frozen)
        {
            log?.Invoke($"  control: {what}, {options.AssessmentEpochs} epoch(s)");
            var track = new EpochTrack();
            Release(TaskTrainer.Train(task, start, options.AssessmentEpochs, BaseLearningRate, task.BatchSize, 200 + seed,
                epochDone: (_, _, parameters) => track.Record(task, parameters), frozen: frozen));
            return track;
        }

        using var average = new Merged(Apply(new AverageMethod(), a, b, task.HeadTensors), a);
        return new Controls(Run("A, all parameters", a, null), Run("A's trunk, A's head frozen", a, head), Run("averaging, then the trunk with the head frozen", average.Parameters, head));
    }

    private IReadOnlyDictionary<string, double> Test(IReadOnlyDictionary<string, Tensor> model) => RecommendationMetrics.Evaluate(task, [model], TaskSplit.Test);

    private static ExperimentRun Row(string protocol, string method, IReadOnlyDictionary<string, double> test, int? epoch = null) =>
        new(string.Empty, protocol, method, 0, test, epoch);

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

    private static void Release(Dictionary<string, Tensor> tensors)
    {
        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }
    }

    /// <summary>A merged model that shares model A's tensors; disposing frees only its own.</summary>
    private sealed class Merged(Dictionary<string, Tensor> parameters, Dictionary<string, Tensor> a) : IDisposable
    {
        public Dictionary<string, Tensor> Parameters => parameters;

        public void Dispose()
        {
            foreach (var (name, value) in parameters)
            {
                if (!ReferenceEquals(value, a[name]))
                {
                    value.Dispose();
                }
            }
        }
    }

    /// <summary>The compute-matched controls: runs without B or P, tracked per epoch.</summary>
    private sealed record Controls(EpochTrack All, EpochTrack Trunk, EpochTrack AverageTrunk)
    {
        /// <summary>Rows at exactly <paramref name="epochs"/> epochs, or each at its best epoch on <paramref name="rule"/>.</summary>
        public IEnumerable<ExperimentRun> Rows(string protocol, int? epochs, Selection? rule)
        {
            foreach (var (name, track) in new[] { ("A, all parameters", All), ("A's trunk, head frozen", Trunk), ("averaging, then trunk", AverageTrunk) })
            {
                var epoch = epochs ?? track.Best(rule!.Value);
                yield return Row(protocol, $"control: {name}", track.TestAt(epoch), epoch);
            }
        }
    }

    /// <summary>An input model's per-epoch track and the parameters of its validation- and test-picked epochs.</summary>
    private sealed class InputModel : IDisposable
    {
        private readonly Dictionary<Selection, Dictionary<string, Tensor>> _kept = [];

        public EpochTrack Track { get; } = new();

        public int Epoch(Selection rule) => Track.Best(rule);

        public Dictionary<string, Tensor> At(Selection rule) => _kept[rule];

        public void Record(DinTask task, IReadOnlyDictionary<string, Tensor> parameters)
        {
            Track.Record(task, parameters);
            foreach (var rule in new[] { Selection.Validation, Selection.Test })
            {
                if (Track.Best(rule) == Track.Epochs)
                {
                    if (_kept.Remove(rule, out var old))
                    {
                        Release(old);
                    }

                    // Kept on the CPU: the data-free merges of the rows read them there.
                    _kept[rule] = TensorPlacement.ToCpu(parameters);
                }
            }
        }

        public void Dispose()
        {
            foreach (var kept in _kept.Values)
            {
                Release(kept);
            }
        }
    }
}
