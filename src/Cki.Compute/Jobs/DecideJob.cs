using Cki.Contracts.Documents;
using Cki.Compute.Evaluation;
using Cki.Contracts.Jobs;

namespace Cki.Compute.Jobs;

/// <summary>
/// <c>decide</c>: what the run publishes, on validation only (the manifest's <c>promotion:</c>): every candidate's
/// validation predictions scored for the deciding metric, the policy applied with a paired bootstrap, and
/// <c>decision.json</c> written. Figures: <c>publish</c> (1 or 0) and <c>chosen</c> (the chosen candidate's index, -1 for none).
/// </summary>
internal static class DecideJob
{
    public const string DecisionFile = JobOutputs.Decision;

    public static JobOutcome Run(JobContext context, DecideJobSpec spec)
    {
        var promotion = context.Manifest.Promotion;
        var metric = promotion.Metric ?? context.Manifest.Evaluation.Metrics[0];
        var scored = new List<ScoredCandidate>();
        foreach (var candidate in spec.Candidates)
        {
            var (logits, labels, classes) = ValidationPredictions.Read(context.Storage.Url(candidate.Predictions), context.Storage.Locations, context.CancellationToken);
            scored.Add(new ScoredCandidate(candidate.Name, candidate.Cost, SampleScores.For(metric, logits, labels, classes),
                candidate.Test.TryGetValue($"test.{metric}", out var test) ? test : null));
        }

        var decision = PromotionDecider.Decide(scored, promotion, metric);
        context.Log(decision.Reason);
        context.Storage.Write(RunDocuments.Decision(context.OutputName(DecisionFile)), decision, context.CancellationToken);
        var chosen = decision.Chosen is null ? -1 : spec.Candidates.ToList().FindIndex(c => c.Name == decision.Chosen);
        return new JobOutcome(new Dictionary<string, double> { ["publish"] = decision.Publish ? 1 : 0, ["chosen"] = chosen }, [context.OutputName(DecisionFile)]);
    }
}
