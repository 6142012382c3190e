using Cki.Compute.Config;
using Cki.Compute.Tasks;
using Cki.Contracts.Manifests;
using TorchSharp;

namespace Cki.Compute.Merging;

/// <summary>
/// Picks the merge method and the tensors it splices from a <see cref="MergeConfig"/>: the one place both
/// <c>cki-compute merge</c> and the workflow's splice jobs go through, so that the same options give the same model.
/// </summary>
public static class MergeMethodResolver
{
    private static readonly Dictionary<string, Func<MergeConfig, IMergeMethod>> DataFreeMethods = new(StringComparer.Ordinal)
    {
        [MergeMethodNames.GlobalOnly] = c => new GlobalOnlyMethod(c.Splice, c.Histogram, c.Merge.A, c.Merge.C),
        [MergeMethodNames.Average] = _ => new AverageMethod(),
        [MergeMethodNames.PruneReference] = c => new PruneReferenceMethod(c.Merge.Threshold),
        [MergeMethodNames.PruneMagnitude] = c => new PruneMagnitudeMethod(c.Merge.Threshold),
        [MergeMethodNames.TaskArithmetic] = c => TaskVectorMethod.TaskArithmetic(c.Merge.Lambda),
        [MergeMethodNames.Ties] = c => TaskVectorMethod.Ties(c.Merge.Density, c.Merge.Lambda),
    };

    /// <summary>The methods this engine can build without an assessment (a test checks it equals <see cref="MergeMethodNames.DataFree"/>).</summary>
    public static IReadOnlyCollection<string> DataFree => DataFreeMethods.Keys;

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
        if (MergeMethodNames.IsLearned(config.Method))
        {
            var weights = learnedWeights ?? throw new InvalidOperationException($"method '{config.Method}' splices with an assessment's weights, and none were given.");
            return (new WeightedSpliceMethod(config.Method, config.Splice, weights), weights.ContainsKey);
        }

        if (config.Method == MergeMethodNames.GlobalOnly && entropies is not null)
        {
            return (new GlobalOnlyMethod(config.Splice, config.Histogram, config.Merge.A, config.Merge.C, entropies), null);
        }

        return DataFreeMethods.TryGetValue(config.Method, out var create)
            ? (create(config), null)
            : throw new ConfigException($"method: '{config.Method}' is not one of {string.Join(", ", MergeMethodNames.All)}.");
    }
}
