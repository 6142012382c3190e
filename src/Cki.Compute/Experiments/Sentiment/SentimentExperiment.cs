using System.Globalization;
using Cki.Compute.Evaluation;
using Cki.Compute.Merging;
using Cki.Compute.Method;
using Cki.Compute.Tasks;
using Cki.Compute.Tasks.Sentiment;
using static TorchSharp.torch;

namespace Cki.Compute.Experiments.Sentiment;

/// <summary>
/// The language experiment on a frozen encoder's features: input heads, then every integration beside them, on the
/// held-out test split; everything (head epochs, assessment epochs and learning rate, the best input) is chosen on
/// validation. Setting <c>seeds</c>: per domain, two heads from different seeds. Setting <c>domains</c>: one head per
/// domain (K = 3), integrated into one head judged on each domain and on all three. Rows are
/// <see cref="ExperimentRun"/>s: the setting names what is judged ("seeds on amazon", "domains judged on all").
/// </summary>
public static class SentimentExperiment
{
    /// <summary>The row name of the best input (chosen per judged column on validation).</summary>
    public const string BestInput = "best input";

    /// <summary>The column name of all three domains together.</summary>
    public const string AllDomains = "all";

    /// <summary>Runs the settings; <paramref name="seedDone"/> sees the rows so far after every seed.</summary>
    public static IReadOnlyList<ExperimentRun> Run(SentimentFeatures features, SentimentExperimentOptions options, Action<string>? log = null,
        Action<IReadOnlyList<ExperimentRun>>? seedDone = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(options);
        var runs = new List<ExperimentRun>();
        using var all = new SentimentTask(features);
        var domainTasks = SentimentData.Domains.Select(d => new SentimentTask(features, d)).ToList();
        try
        {
            for (var seed = 0; seed < options.SeedCount; seed++)
            {
                foreach (var setting in options.Settings)
                {
                    if (setting == SentimentExperimentOptions.Seeds)
                    {
                        foreach (var task in domainTasks)
                        {
                            log?.Invoke($"seeds on {task.Domain}, seed pair {seed}");
                            runs.AddRange(SeedsPair(task, seed, options, log));
                        }
                    }
                    else if (setting == SentimentExperimentOptions.Domains)
                    {
                        log?.Invoke($"domains, seed {seed}");
                        runs.AddRange(DomainsTriple(all, domainTasks, seed, options, log));
                    }
                    else if (setting == SentimentExperimentOptions.OneParent)
                    {
                        log?.Invoke($"one parent, seed {seed}");
                        runs.AddRange(OneParentTriple(all, domainTasks, seed, options, log));
                    }
                    else
                    {
                        throw new ArgumentException($"Unknown setting '{setting}'; known: {SentimentExperimentOptions.Seeds}, {SentimentExperimentOptions.Domains}, {SentimentExperimentOptions.OneParent}.");
                    }
                }

                seedDone?.Invoke(runs);
            }
        }
        finally
        {
            domainTasks.ForEach(t => t.Dispose());
        }

        return runs;
    }

    private static List<ExperimentRun> SeedsPair(SentimentTask task, int seed, SentimentExperimentOptions options, Action<string>? log)
    {
        var a = task.TrainHead(2 * seed, options.HeadEpochs, options.HeadLearningRate);
        var b = task.TrainHead((2 * seed) + 1, options.HeadEpochs, options.HeadLearningRate);
        var judged = new[] { (Name: $"seeds on {task.Domain}", Task: task) };
        try
        {
            return Integrate(task, [("model A", a), ("model B", b)], judged, seed, options, log);
        }
        finally
        {
            Release(a);
            Release(b);
        }
    }

    private static List<ExperimentRun> DomainsTriple(SentimentTask all, IReadOnlyList<SentimentTask> domainTasks, int seed, SentimentExperimentOptions options,
        Action<string>? log)
    {
        var heads = domainTasks.Select((t, i) => ($"head {t.Domain}", t.TrainHead((3 * seed) + i + 100, options.HeadEpochs, options.HeadLearningRate))).ToList();
        var judged = domainTasks.Select(t => (Name: $"domains judged on {t.Domain}", Task: t)).Append(($"domains judged on {AllDomains}", all)).ToArray();
        try
        {
            return Integrate(all, heads, judged, seed, options, log);
        }
        finally
        {
            heads.ForEach(h => Release(h.Item2));
        }
    }

    // One parent head on all three domains (its epoch chosen on all three validation splits), three children fine-tuned
    // from it for exactly N epochs on their own domain.
    private static List<ExperimentRun> OneParentTriple(SentimentTask all, IReadOnlyList<SentimentTask> domainTasks, int seed, SentimentExperimentOptions options,
        Action<string>? log)
    {
        var parent = all.TrainHead((3 * seed) + 200, options.HeadEpochs, options.HeadLearningRate);
        var children = domainTasks.Select((t, i) => ($"child {t.Domain}", TaskTrainer.Train(t, parent, options.ChildEpochs, options.HeadLearningRate, t.BatchSize, (3 * seed) + i + 200))).ToList();
        var judged = domainTasks.Select(t => (Name: $"one parent judged on {t.Domain}", Task: t)).Append(($"one parent judged on {AllDomains}", all)).ToArray();
        try
        {
            return Integrate(all, children, judged, seed, options, log, parent);
        }
        finally
        {
            children.ForEach(h => Release(h.Item2));
            Release(parent);
        }
    }

    // Integrates the inputs with every method; the assessment and the retraining learn on `train` (its train and
    // validation splits), and every model is judged on the test split of each judged task. With a parent (the inputs'
    // common starting point), task arithmetic and TIES run against it, and the parent's own rows and controls are added.
    private static List<ExperimentRun> Integrate(SentimentTask train, List<(string Name, Dictionary<string, Tensor> Head)> inputs,
        IReadOnlyList<(string Name, SentimentTask Task)> judged, int seed, SentimentExperimentOptions options, Action<string>? log,
        Dictionary<string, Tensor>? parent = null)
    {
        var heads = inputs.Select(i => (IReadOnlyDictionary<string, Tensor>)i.Head).ToList();
        var baseHead = inputs[0].Head;
        var models = new List<(string Method, Dictionary<string, Tensor> Head, bool Owned)>();
        models.AddRange(inputs.Select(i => (i.Name, i.Head, false)));
        if (parent is not null)
        {
            models.Add((ParentRow, parent, false));
            AddParentMerges(train, heads, parent, baseHead, models, log);
        }

        foreach (var (name, method) in new (string, IMergeMethod)[]
        {
            ("averaging", new AverageMethod()),
            ("pruning (reference)", new PruneReferenceMethod(0.02)),
            ("pruning (magnitude)", new PruneMagnitudeMethod(0.02)),
            ("CKI global-only", new GlobalOnlyMethod(SpliceMode.Soft, HistogramMode.Reference, GlobalInformation.DefaultAmplitude, GlobalInformation.DefaultSteepness)),
        })
        {
            models.Add((name, Apply(method, heads, train.HeadTensors, baseHead), true));
        }

        var assessment = new AssessmentOptions { Epochs = options.AssessmentEpochs, Seed = seed };
        var forms = new List<(string Label, CompatibilityForm Form)> { ("exp-softmax", CompatibilityForm.ExpSoftmax) };
        if (inputs.Count == 2)
        {
            forms.Add(("linear", CompatibilityForm.Linear)); // F1 is defined for two models only
        }

        Dictionary<string, Tensor>? ckiSoft = null;
        foreach (var (label, form) in forms)
        {
            log?.Invoke($"  CKI assessment ({label})");
            using var cki = Assessment.Sweep(train, heads, train.HeadTensors, assessment with { Form = form }, options.LearningRates);
            var soft = Apply(new WeightedSpliceMethod("cki", SpliceMode.Soft, cki.Weights), heads, train.HeadTensors, baseHead);
            models.Add(($"CKI soft ({label})", soft, true));
            models.Add(($"CKI hard ({label})", Apply(new WeightedSpliceMethod("cki", SpliceMode.Hard, cki.Weights), heads, train.HeadTensors, baseHead), true));
            ckiSoft ??= soft;
        }

        log?.Invoke("  CKI assessment (local-only)");
        using (var local = Assessment.Sweep(train, heads, train.HeadTensors, assessment with { Form = CompatibilityForm.LocalOnly }, options.LearningRates))
        {
            models.Add(("CKI local-only", Apply(new WeightedSpliceMethod("local-only", SpliceMode.Soft, local.Weights), heads, train.HeadTensors, baseHead), true));
        }

        models.Add(("1 retraining epoch from CKI soft (exp-softmax)", TaskTrainer.Train(train, ckiSoft!, 1, options.HeadLearningRate, train.BatchSize, 300 + seed), true));
        var bestForTraining = BestOnValidation(train, inputs);
        models.Add(("control: 1 more epoch of the best input", TaskTrainer.Train(train, inputs[bestForTraining].Head, 1, options.HeadLearningRate, train.BatchSize, 300 + seed), true));
        if (parent is not null)
        {
            var averaged = models.First(m => m.Method == "averaging").Head;
            models.Add((RetrainAveraging, TaskTrainer.Train(train, averaged, 1, options.HeadLearningRate, train.BatchSize, 300 + seed), true));
            models.Add((ParentControl(options.ChildEpochs), TaskTrainer.Train(train, parent, options.ChildEpochs, options.HeadLearningRate, train.BatchSize, 400 + seed), true));
        }

        var rows = new List<ExperimentRun>();
        try
        {
            foreach (var (column, task) in judged)
            {
                var results = models.Select(m => (m.Method, Test: Evaluate(task, [m.Head]))).ToList();
                var best = BestOnValidation(task, inputs);
                results.Insert(inputs.Count, (BestInput, results[best].Test));
                results.Insert(inputs.Count + 2, ("output ensemble (K x cost)", Evaluate(task, heads)));
                rows.AddRange(results.Select(r => new ExperimentRun(column, Protocols.Honest, r.Method, seed, r.Test)));
                log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"  {column}: best input {inputs[best].Name} {results[best].Test["accuracy"]:F4}, CKI soft {results.First(r => r.Method.StartsWith("CKI soft", StringComparison.Ordinal)).Test["accuracy"]:F4}, averaging {results.First(r => r.Method == "averaging").Test["accuracy"]:F4}"));
            }
        }
        finally
        {
            foreach (var (_, head, owned) in models)
            {
                if (owned)
                {
                    ReleaseOwn(head, baseHead);
                }
            }
        }

        return rows;
    }

    /// <summary>The one-parent setting's parent head: trained on all three domains, so also the multi-task control.</summary>
    public const string ParentRow = "parent (one head on all three domains; the multi-task control)";

    /// <summary>One epoch of the whole head on all three domains from averaging (one-parent setting).</summary>
    public const string RetrainAveraging = "1 retraining epoch from averaging";

    /// <summary>The compute-matched control of the one-parent setting: the parent trained N more epochs on all three domains.</summary>
    public static string ParentControl(int epochs) => $"control: parent + {epochs} epoch(s) on all three domains";

    // Task arithmetic and TIES (density 0.2) against the parent, lambda chosen on the validation split of `train` from
    // {1/K, 0.5, 1}; and averaging, task arithmetic and TIES on every tensor of the head (biases too).
    private static void AddParentMerges(SentimentTask train, List<IReadOnlyDictionary<string, Tensor>> heads, Dictionary<string, Tensor> parent,
        Dictionary<string, Tensor> baseHead, List<(string Method, Dictionary<string, Tensor> Head, bool Owned)> models, Action<string>? log)
    {
        var lambdas = new[] { 1.0 / heads.Count, 0.5, 1.0 }.Distinct().ToList();
        var every = train.Layout.Select(s => s.Name).ToList();
        models.Add(("averaging (all tensors)", Apply(new AverageMethod(), heads, every, baseHead, parent), true));
        foreach (var (label, names) in new[] { ("", train.HeadTensors), (" (all tensors)", (IReadOnlyList<string>)every) })
        {
            foreach (var (name, make) in new (string, Func<double, IMergeMethod>)[]
            {
                ("task arithmetic" + label, l => TaskVectorMethod.TaskArithmetic(l)),
                ("TIES" + label, l => TaskVectorMethod.Ties(0.2, l)),
            })
            {
                Dictionary<string, Tensor>? best = null;
                var (bestScore, bestLambda) = (double.NegativeInfinity, 0.0);
                foreach (var lambda in lambdas)
                {
                    var candidate = Apply(make(lambda), heads, names, baseHead, parent);
                    var score = TaskEvaluation.Evaluate(train, candidate, TaskSplit.Validation);
                    if (score > bestScore)
                    {
                        if (best is not null)
                        {
                            ReleaseOwn(best, baseHead);
                        }

                        (best, bestScore, bestLambda) = (candidate, score, lambda);
                    }
                    else
                    {
                        ReleaseOwn(candidate, baseHead);
                    }
                }

                log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"  {name}: lambda {bestLambda:0.###} chosen on validation"));
                models.Add((name, best!, true));
            }
        }
    }

    /// <summary>The index of the input with the best validation metric on <paramref name="task"/> (ties: the first).</summary>
    private static int BestOnValidation(SentimentTask task, List<(string Name, Dictionary<string, Tensor> Head)> inputs)
    {
        var scores = inputs.Select(i => TaskEvaluation.Evaluate(task, i.Head, TaskSplit.Validation)).ToList();
        return scores.IndexOf(scores.Max());
    }

    private static Dictionary<string, double> Evaluate(SentimentTask task, IReadOnlyList<IReadOnlyDictionary<string, Tensor>> models)
    {
        using var scope = NewDisposeScope();
        var (logits, labels) = TaskEvaluation.Logits(task, models, TaskSplit.Test);
        return new Dictionary<string, double>(StringComparer.Ordinal) { ["accuracy"] = Metrics.Accuracy(logits, labels), ["AUC"] = Metrics.Auc(logits, labels) };
    }

    /// <summary>The base head with <paramref name="spliced"/> merged by <paramref name="method"/> (biases stay the base's).</summary>
    private static Dictionary<string, Tensor> Apply(IMergeMethod method, IReadOnlyList<IReadOnlyDictionary<string, Tensor>> heads, IReadOnlyList<string> spliced,
        Dictionary<string, Tensor> baseHead, Dictionary<string, Tensor>? parent = null)
    {
        var merged = new Dictionary<string, Tensor>(baseHead, StringComparer.Ordinal);
        foreach (var name in spliced)
        {
            var output = method.Merge(new MergeInput(name, heads.Select(h => h[name]).ToList(), parent?[name]));
            output.Weights?.Dispose();
            merged[name] = output.Merged;
        }

        return merged;
    }

    private static void ReleaseOwn(Dictionary<string, Tensor> head, Dictionary<string, Tensor> baseHead)
    {
        foreach (var (name, value) in head)
        {
            if (!ReferenceEquals(value, baseHead[name]))
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
