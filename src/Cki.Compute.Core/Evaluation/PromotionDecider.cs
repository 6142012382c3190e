using System.Globalization;
using Cki.Contracts.Manifests;
using Cki.Contracts.Runs;

namespace Cki.Compute.Evaluation;

/// <summary>A candidate with its validation predictions scored for the deciding metric, and its test figure.</summary>
/// <param name="Name">What it is (<c>champion</c>, <c>integrated</c>, <c>retrained</c>, <c>input a</c>, ...).</param>
/// <param name="Cost">Its inference cost in single models.</param>
/// <param name="Validation">Its validation samples, scored for the deciding metric.</param>
/// <param name="Test">The deciding metric on test, when measured (reported only).</param>
public sealed record ScoredCandidate(string Name, int Cost, SampleScores Validation, double? Test);

/// <summary>
/// The promotion decision (docs/promotion.md): which candidate a run publishes, decided on VALIDATION only, with a paired
/// bootstrap interval of the gain that the decision rests on. Candidates come in tie-breaking order: the champion first
/// (a tie never replaces the published model), then the integrated model, the retrained one, baselines, inputs, the ensemble.
/// </summary>
public static class PromotionDecider
{
    private const string Champion = CandidateNames.Champion;
    private const string Integrated = CandidateNames.Integrated;
    private const string Retrained = CandidateNames.Retrained;

    /// <summary>Decides under <paramref name="options"/>, on <paramref name="metric"/>.</summary>
    public static PromotionDecision Decide(IReadOnlyList<ScoredCandidate> candidates, PromotionOptions options, string metric)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(options);
        var lower = MetricNames.LowerIsBetter(metric);
        var values = candidates.ToDictionary(c => c.Name, c => c.Validation.Value(), StringComparer.Ordinal);
        var listed = candidates.Select(c => new DecisionCandidate(c.Name, c.Cost, values[c.Name], c.Test)).ToList();
        var champion = candidates.FirstOrDefault(c => c.Name == Champion);
        var integrated = candidates.FirstOrDefault(c => c.Name == Integrated)
            ?? throw new ArgumentException("the candidates have no integrated model.", nameof(candidates));
        var bestInput = Best(candidates.Where(c => CandidateNames.IsInput(c.Name)), values, metric);
        var reference = champion ?? bestInput;
        PromotionDecision Decision(string? chosen, bool publish, string reason, DecisionGain? gain) =>
            new(options.Policy, metric, chosen, publish, reason, listed, gain);
        DecisionGain? GainOf(ScoredCandidate of, ScoredCandidate? vs)
        {
            if (vs is null || ReferenceEquals(of, vs))
            {
                return null;
            }

            var interval = PairedBootstrap.Gain(of.Validation, vs.Validation, lower, options.Resamples, options.Seed);
            return new DecisionGain(of.Name, vs.Name, interval.Mean, interval.Low, interval.High, interval.Resamples, options.Seed);
        }

        switch (options.Policy)
        {
            case PromotionOptions.Always:
            {
                var gain = GainOf(integrated, reference);
                return Decision(Integrated, true, $"policy always: the integrated model is published whatever it scores{Against(gain, metric)}.", gain);
            }

            case PromotionOptions.IntegratedIfBetter:
            {
                var retrained = candidates.FirstOrDefault(c => c.Name == Retrained);
                var contender = retrained is not null && Better(values[retrained.Name], values[Integrated], lower) ? retrained : integrated;
                if (reference is null)
                {
                    return Decision(contender.Name, true, $"nothing to compare with (no champion, no input evaluated): the {contender.Name} model is published.", null);
                }

                var gain = GainOf(contender, reference)!;
                var passes = gain.Low >= options.Margin;
                return passes
                    ? Decision(contender.Name, true, $"published the {contender.Name} model: {Gain(gain, metric)}, whose lower bound reaches the margin {Number(options.Margin)}.", gain)
                    : Decision(champion?.Name, false, $"held: {Gain(gain, metric)}, whose lower bound is below the margin {Number(options.Margin)}; " +
                        (champion is null ? "nothing is published." : "the published model stays."), gain);
            }

            default:
            {
                var eligible = candidates.Where(c => c.Cost == 1 || options.AllowEnsemble).ToList();
                var chosen = Best(eligible, values, metric)!;
                var versus = ReferenceEquals(chosen, reference) ? integrated : reference;
                var gain = GainOf(chosen, versus);
                var among = options.AllowEnsemble ? "all candidates" : "the candidates of 1x inference cost";
                if (chosen.Name == Champion)
                {
                    return Decision(Champion, false, $"held: the published model is still the best of {among} on validation {metric} " +
                        $"({Number(values[Champion])}){Against(gain, metric)}.", gain);
                }

                return Decision(chosen.Name, true, $"published {chosen.Name}, the best of {among} on validation {metric} ({Number(values[chosen.Name])}){Against(gain, metric)}.", gain);
            }
        }
    }

    // The best by validation value; the earlier wins a tie (and NaN never wins).
    // The best on validation; when none has a value (all NaN), the first, so that a decision always names one.
    private static ScoredCandidate? Best(IEnumerable<ScoredCandidate> candidates, Dictionary<string, double> values, string metric) =>
        BestOnValidation.Of(candidates, c => values[c.Name], metric) ?? candidates.FirstOrDefault();

    private static bool Better(double a, double b, bool lower) => !double.IsNaN(a) && (double.IsNaN(b) || (lower ? a < b : a > b));

    private static string Against(DecisionGain? gain, string metric) => gain is null ? "" : $"; {Gain(gain, metric)}";

    private static string Gain(DecisionGain gain, string metric) =>
        $"{gain.Of} - {gain.Vs} = {Signed(gain.Mean)} [{Signed(gain.Low)}, {Signed(gain.High)}] validation {metric} " +
        $"(better is positive; paired bootstrap, {gain.Resamples} resamples, seed {gain.Seed})";

    private static string Signed(double value) => value.ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
