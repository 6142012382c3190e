using System.Globalization;
using Cki.Compute.Devices;
using Cki.Compute.Tasks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cki.Compute.Method;

/// <summary>What the learned assessment keeps: the weights and trunk of its best validation epoch, on the CPU.</summary>
/// <param name="Weights">Per spliced tensor, the splicing weights <c>[K, ...shape]</c> of the best epoch.</param>
/// <param name="Trunk">The trained trunk tensors of the best epoch (with <c>train_trunk</c>), else empty.</param>
/// <param name="BestEpoch">1-based epoch kept.</param>
/// <param name="BestValidation">Its validation metric (soft splicing).</param>
/// <param name="ValidationByEpoch">Validation metric after each epoch.</param>
/// <param name="LearningRate">The learning rate used.</param>
/// <param name="PChange">How far P moved from its initialisation (summed Frobenius norms) by the last epoch.</param>
public sealed record AssessmentResult(
    IReadOnlyDictionary<string, Tensor> Weights,
    IReadOnlyDictionary<string, Tensor> Trunk,
    int BestEpoch,
    double BestValidation,
    IReadOnlyList<double> ValidationByEpoch,
    double LearningRate,
    double PChange) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in Weights.Values.Concat(Trunk.Values))
        {
            t.Dispose();
        }
    }
}

/// <summary>
/// The learned part of CKI (docs/method.md: local uncertainty, forms): trains P through the task's forward pass with the soft-spliced
/// weights in place, inputs frozen, and keeps the epoch with the best VALIDATION metric (never the test split). P, the
/// trunk and the inputs' tensors it needs live on the task's device for the training; the global term is computed from
/// the inputs as given (data-free, as the streaming merge computes it).
/// </summary>
public static class Assessment
{
    /// <summary>
    /// Runs one candidate (one learning rate, one form). <paramref name="epochDone"/>, when given, sees after every epoch
    /// the parameters the model is evaluated with (soft-spliced tensors and trunk, on the task's device); they live until it returns.
    /// </summary>
    public static AssessmentResult Run(ITaskModel task, IReadOnlyList<IReadOnlyDictionary<string, Tensor>> models,
        IReadOnlyList<string> spliced, AssessmentOptions options, Action<string>? log = null,
        Action<int, IReadOnlyDictionary<string, Tensor>>? epochDone = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(spliced);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var generator = new Generator((ulong)options.Seed + 17);
        var global = spliced.ToDictionary(n => n,
            n => GlobalInformation.Weights(models.Select(m => GlobalInformation.Entropy(m[n], options.Histogram)).ToList(), options.Amplitude, options.Steepness),
            StringComparer.Ordinal);
        var device = task.Device;
        var copies = new List<Tensor>();
        var trunk = new Dictionary<string, Parameter>(StringComparer.Ordinal);
        var locals = new Dictionary<string, LocalUncertainty>(StringComparer.Ordinal);
        try
        {
            // Model A whole (the forward pass reads every tensor), the others by their spliced tensors only.
            var modelA = models[0].ToDictionary(p => p.Key, p => Place(p.Value), StringComparer.Ordinal);
            var thetas = spliced.ToDictionary(n => n, n => (IReadOnlyList<Tensor>)models.Select((m, k) => k == 0 ? modelA[n] : Place(m[n])).ToList(),
                StringComparer.Ordinal);
            foreach (var name in spliced)
            {
                locals[name] = new LocalUncertainty(thetas[name][0].shape, models.Count, options.Bias ?? task.LocalBias, options.Scale, generator, device);
            }

            if (options.TrainTrunk)
            {
                foreach (var (name, value) in modelA.Where(p => !thetas.ContainsKey(p.Key) && p.Value.is_floating_point() && !options.FrozenTensors.Contains(p.Key)))
                {
                    trunk[name] = new Parameter(TensorPlacement.CopyTo(value, device), requires_grad: true);
                }
            }

            using var optimizer = optim.Adam(locals.Values.SelectMany(l => l.Parameters).Concat(trunk.Values).ToList(), options.LearningRate);
            var history = new List<double>();
            var best = (Epoch: 0, Metric: double.NegativeInfinity);
            Dictionary<string, Tensor>? bestWeights = null;
            Dictionary<string, Tensor>? bestTrunk = null;
            for (var epoch = 1; epoch <= options.Epochs; epoch++)
            {
                foreach (var batch in task.Batches(TaskSplit.Train, options.BatchSize ?? task.BatchSize, (options.Seed * 7919) + epoch))
                {
                    using (batch)
                    {
                        using var scope = NewDisposeScope();
                        optimizer.zero_grad();
                        var parameters = Parameters(modelA, trunk, thetas, SpliceWeights(options, global, locals, thetas));
                        task.Loss(task.Logits(parameters, batch), batch.Labels).backward();
                        optimizer.step();
                    }
                }

                using (var noGrad = no_grad())
                using (var scope = NewDisposeScope())
                {
                    var weights = SpliceWeights(options, global, locals, thetas);
                    var evaluated = Parameters(modelA, trunk, thetas, weights);
                    var metric = TaskEvaluation.Evaluate(task, evaluated, TaskSplit.Validation);
                    epochDone?.Invoke(epoch, evaluated);
                    history.Add(metric);
                    log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"lr {options.LearningRate:G3} epoch {epoch}/{options.Epochs}: validation {task.MetricName} {metric:F4}"));
                    if (metric > best.Metric || bestWeights is null)
                    {
                        Release(bestWeights);
                        Release(bestTrunk);
                        best = (epoch, metric);
                        bestWeights = Keep(weights);
                        bestTrunk = Keep(trunk.ToDictionary(p => p.Key, p => (Tensor)p.Value, StringComparer.Ordinal));
                    }
                }
            }

            return new AssessmentResult(bestWeights!, bestTrunk!, best.Epoch, best.Metric, history, options.LearningRate,
                locals.Values.Sum(l => l.Change()));
        }
        finally
        {
            foreach (var local in locals.Values)
            {
                local.Dispose();
            }

            foreach (var p in trunk.Values)
            {
                p.Dispose();
            }

            copies.ForEach(t => t.Dispose());
        }

        // The input's own tensor when it is on the device already, else a copy there that this run frees.
        Tensor Place(Tensor tensor)
        {
            if (TensorPlacement.IsOn(tensor, device))
            {
                return tensor;
            }

            var copy = TensorPlacement.CopyTo(tensor, device);
            copies.Add(copy);
            return copy;
        }
    }

    /// <summary>
    /// Runs one candidate per learning rate and keeps the one with the best validation metric (ties go to the
    /// earlier rate).
    /// </summary>
    public static AssessmentResult Sweep(ITaskModel task, IReadOnlyList<IReadOnlyDictionary<string, Tensor>> models,
        IReadOnlyList<string> spliced, AssessmentOptions options, IReadOnlyList<double> learningRates, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(learningRates);
        AssessmentResult? best = null;
        foreach (var rate in learningRates.Count == 0 ? [options!.LearningRate] : learningRates)
        {
            var candidate = Run(task, models, spliced, options! with { LearningRate = rate }, log);
            if (best is null || candidate.BestValidation > best.BestValidation)
            {
                best?.Dispose();
                best = candidate;
            }
            else
            {
                candidate.Dispose();
            }
        }

        return best!;
    }

    private static Dictionary<string, Tensor> SpliceWeights(AssessmentOptions options, Dictionary<string, double[]> global,
        Dictionary<string, LocalUncertainty> locals, Dictionary<string, IReadOnlyList<Tensor>> thetas) =>
        thetas.ToDictionary(p => p.Key,
            p => CompatibilityWeights.Compute(options.Form, global[p.Key], locals[p.Key].Local(p.Value), p.Value[0].shape),
            StringComparer.Ordinal);

    private static Dictionary<string, Tensor> Parameters(IReadOnlyDictionary<string, Tensor> modelA, Dictionary<string, Parameter> trunk,
        Dictionary<string, IReadOnlyList<Tensor>> thetas, Dictionary<string, Tensor> weights)
    {
        var parameters = new Dictionary<string, Tensor>(modelA, StringComparer.Ordinal);
        foreach (var (name, value) in trunk)
        {
            parameters[name] = value;
        }

        foreach (var (name, w) in weights)
        {
            parameters[name] = Splicing.Splice(SpliceMode.Soft, thetas[name], w);
        }

        return parameters;
    }

    private static Dictionary<string, Tensor> Keep(Dictionary<string, Tensor> tensors) => TensorPlacement.ToCpu(tensors);

    private static void Release(Dictionary<string, Tensor>? tensors)
    {
        foreach (var t in tensors?.Values ?? Enumerable.Empty<Tensor>())
        {
            t.Dispose();
        }
    }
}
