using Cki.Compute.Tasks;
using Cki.Compute.Tasks.Din;
using static TorchSharp.torch;

namespace Cki.Compute.Experiments;

/// <summary>Which split picks an epoch (or an input model): validation, or, in the labelled paper protocol only, test.</summary>
public enum Selection
{
    /// <summary>The honest rule: validation AUC.</summary>
    Validation,

    /// <summary>The authors' rule, optimistic: test AUC.</summary>
    Test,
}

/// <summary>
/// A training run's validation AUC and test metrics after every epoch, so that one run serves both selection rules and
/// "the model after exactly N epochs" without training again.
/// </summary>
public sealed class EpochTrack
{
    private readonly List<double> _validation = [];
    private readonly List<IReadOnlyDictionary<string, double>> _test = [];

    /// <summary>Epochs recorded.</summary>
    public int Epochs => _validation.Count;

    /// <summary>Validation AUC after each epoch.</summary>
    public IReadOnlyList<double> Validation => _validation;

    /// <summary>Records the model after the next epoch.</summary>
    public void Record(DinTask task, IReadOnlyDictionary<string, Tensor> parameters)
    {
        _validation.Add(TaskEvaluation.Evaluate(task, parameters, TaskSplit.Validation));
        _test.Add(RecommendationMetrics.Evaluate(task, [parameters], TaskSplit.Test));
    }

    /// <summary>Records precomputed figures (tests, and runs whose model was evaluated elsewhere).</summary>
    public void Record(double validation, IReadOnlyDictionary<string, double> test)
    {
        _validation.Add(validation);
        _test.Add(test);
    }

    /// <summary>The 1-based epoch with the best AUC on the split of <paramref name="rule"/> (ties: the earlier epoch).</summary>
    public int Best(Selection rule)
    {
        var best = 0;
        for (var i = 1; i < Epochs; i++)
        {
            if (Score(i, rule) > Score(best, rule))
            {
                best = i;
            }
        }

        return Epochs == 0 ? throw new InvalidOperationException("No epoch recorded.") : best + 1;
    }

    /// <summary>Test metrics after <paramref name="epoch"/> (1-based).</summary>
    public IReadOnlyDictionary<string, double> TestAt(int epoch) => _test[epoch - 1];

    private double Score(int index, Selection rule) => rule == Selection.Validation ? _validation[index] : _test[index]["AUC"];
}
