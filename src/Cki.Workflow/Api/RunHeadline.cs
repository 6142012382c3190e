using Cki.Contracts.Runs;

namespace Cki.Workflow.Api;

/// <summary>
/// A run's headline figure for the runs list: the integrated model's test metric beside the best input's, the best
/// input chosen on VALIDATION (as the report does), never on test.
/// </summary>
/// <param name="Metric">The metric (<c>auc</c> when measured, else the first the run measured).</param>
/// <param name="Integrated">The integrated model's test value.</param>
/// <param name="BestInput">The best input's test value; null when no input was evaluated.</param>
/// <param name="BestInputTarget">Which input that is (e.g. <c>input a</c>).</param>
/// <param name="HigherIsBetter">Whether a larger value is better (false for logloss).</param>
public sealed record RunHeadline(string Metric, double Integrated, double? BestInput, string? BestInputTarget, bool HigherIsBetter)
{
    /// <summary>The headline of a run's evaluation; null when the integrated model has no test figure.</summary>
    public static RunHeadline? From(RunSummary? summary)
    {
        var integrated = summary?.Evaluation.FirstOrDefault(r => r.Target == CandidateNames.Integrated);
        var metric = integrated is null ? null
            : integrated.Metrics.ContainsKey(MetricNames.Test(MetricNames.Auc)) ? MetricNames.Auc
            : integrated.Metrics.Keys.Where(k => k.StartsWith(MetricNames.Test(""), StringComparison.Ordinal)).Order(StringComparer.Ordinal).Select(k => k[MetricNames.Test("").Length..]).FirstOrDefault();
        if (integrated is null || metric is null)
        {
            return null;
        }

        var test = MetricNames.Test(metric);
        var best = BestOnValidation.Input(summary!.Evaluation.Where(r => r.Metrics.ContainsKey(test)), metric);
        return new RunHeadline(metric, integrated.Metrics[test], best?.Metrics[test], best?.Target, !MetricNames.LowerIsBetter(metric));
    }
}
