namespace Cki.Contracts.Runs;

/// <summary>
/// The one rule for "the best on validation", used by the decision, the compute-matched control, the report and the
/// dashboard's headline: the best value of the metric (the lowest for a metric where lower is better), ties to the earlier
/// candidate, never a NaN, and nothing when no candidate has a value.
/// </summary>
public static class BestOnValidation
{
    /// <summary>The best of <paramref name="candidates"/> by <paramref name="value"/> (null: not measured) under <paramref name="metric"/>.</summary>
    public static T? Of<T>(IEnumerable<T> candidates, Func<T, double?> value, string metric)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(value);
        var lower = MetricNames.LowerIsBetter(metric);
        T? best = null;
        var bestValue = double.NaN;
        foreach (var candidate in candidates)
        {
            if (value(candidate) is not { } v || double.IsNaN(v))
            {
                continue;
            }

            if (best is null || (lower ? v < bestValue : v > bestValue))
            {
                (best, bestValue) = (candidate, v);
            }
        }

        return best;
    }

    /// <summary>The best of the evaluation's inputs (<c>input x</c> rows) on the validation value of <paramref name="metric"/>.</summary>
    public static EvaluationRow? Input(IEnumerable<EvaluationRow> evaluation, string metric) =>
        Of(evaluation.Where(r => CandidateNames.IsInput(r.Target)), r => r.Metrics.TryGetValue(MetricNames.Validation(metric), out var v) ? v : null, metric);
}
