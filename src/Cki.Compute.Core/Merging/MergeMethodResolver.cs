using Cki.Compute.Config;
using Cki.Compute.Tasks;
using Cki.Contracts.Manifests;
using TorchSharp;

namespace Cki.Compute.Merging;

/// <summary>
/// Maps each merge method's descriptor (<see cref="MergeMethods"/>) to its implementation, and picks the tensors it
/// splices from a <see cref="MergeConfig"/>: the one place both <c>cki-compute merge</c> and the workflow's splice
/// jobs go through, so that the same options give the same model.
/// </summary>
public static class MergeMethodResolver
{
    private static readonly Dictionary<MergeMethod, Func<MergeConfig, Evidence, IMergeMethod>> Implementations = new()
    {
        [MergeMethods.Cki] = (c, e) => new WeightedSpliceMethod(c.Method, c.Splice, e.LearnedWeights(c.Method)),
        [MergeMethods.LocalOnly] = (c, e) => new WeightedSpliceMethod(c.Method, c.Splice, e.LearnedWeights(c.Method)),
        [MergeMethods.GlobalOnly] = (c, e) => new GlobalOnlyMethod(c.Splice, c.Histogram, c.Merge.A, c.Merge.C, e.Entropies),
        [MergeMethods.Average] = (_, _) => new AverageMethod(),
        [MergeMethods.PruneReference] = (c, _) => new PruneReferenceMethod(c.Merge.Threshold),
        [MergeMethods.PruneMagnitude] = (c, _) => new PruneMagnitudeMethod(c.Merge.Threshold),
        [MergeMethods.TaskArithmetic] = (c, _) => new TaskArithmeticMethod(c.Merge.Lambda),
        [MergeMethods.Ties] = (c, _) => new TiesMethod(c.Merge.Density, c.Merge.Lambda),
    };

    /// <summary>The methods this engine implements (a test checks it is every one of <see cref="MergeMethods.All"/>).</summary>
    public static IReadOnlyCollection<MergeMethod> Implemented => Implementations.Keys;

    /// <summary>
    /// The tensors <paramref name="config"/> selects: every one for <c>all</c>, the task's head weight matrices for
    /// <c>head</c> (<paramref name="task"/> is asked only then), glob patterns otherwise.
    /// </summary>
    public static Func<string, bool> Selection(MergeConfig config, Func<ITaskModel?> task)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(task);
        var selection = config.Merge.Tensors;
        switch (selection.Mode)
        {
            case TensorSelection.AllMode:
                return _ => true;
            case TensorSelection.HeadMode:
                var head = (task() ?? throw new ConfigException("tensors: head needs a task; the task knows its head. Use all or glob patterns."))
                    .HeadTensors.ToHashSet(StringComparer.Ordinal);
                return head.Contains;
            default:
                return selection.Matches;
        }
    }

    /// <summary>
    /// The method of <paramref name="config"/>: a learned method splices with the assessment's
    /// <paramref name="learnedWeights"/> (and only the tensors they cover); <c>global-only</c> uses
    /// <paramref name="entropies"/> that profile jobs computed when given; the others are built from their options.
    /// </summary>
    public static (IMergeMethod Method, Func<string, bool>? OnlyThese) Resolve(MergeConfig config,
        IReadOnlyDictionary<string, torch.Tensor>? learnedWeights = null, IReadOnlyDictionary<string, double[]>? entropies = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var descriptor = MergeMethods.All.FirstOrDefault(m => m.Name == config.Method)
            ?? throw new ConfigException($"method: '{config.Method}' is not one of {string.Join(", ", MergeMethods.Names)}.");
        var method = Implementations[descriptor](config, new Evidence(learnedWeights, entropies));
        return (method, descriptor.NeedsData ? learnedWeights!.ContainsKey : null);
    }

    // What a method may be built from besides its options: an assessment's weights, profile jobs' entropies.
    private sealed record Evidence(IReadOnlyDictionary<string, torch.Tensor>? Weights, IReadOnlyDictionary<string, double[]>? Entropies)
    {
        public IReadOnlyDictionary<string, torch.Tensor> LearnedWeights(string method) =>
            Weights ?? throw new InvalidOperationException($"method '{method}' splices with an assessment's weights, and none were given.");
    }
}
