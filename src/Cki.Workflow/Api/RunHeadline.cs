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
        var integrated = summary?.Evaluation.FirstOrDefault(r => r.Target == "integrated");
        var metric = integrated is null ? null
            : integrated.Metrics.ContainsKey("test.auc") ? "auc"
            : integrated.Metrics.Keys.Where(k => k.StartsWith("test.", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Select(k => k["test.".Length..]).FirstOrDefault();
        if (integrated is null || metric is null)
        {
            return null;
        }

        var higherIsBetter = metric != "logloss";
        var inputs = summary!.Evaluation
            .Where(r => r.Target.StartsWith("input ", StringComparison.Ordinal) && r.Metrics.ContainsKey("validation." + metric) && r.Metrics.ContainsKey("test." + metric))
            .ToList();
        var best = inputs.Count == 0 ? null
            : higherIsBetter ? inputs.MaxBy(r => r.Metrics["validation." + metric]) : inputs.MinBy(r => r.Metrics["validation." + metric]);
        return new RunHeadline(metric, integrated.Metrics["test." + metric], best?.Metrics["test." + metric], best?.Target, higherIsBetter);
    }
}
