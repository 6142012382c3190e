namespace Cki.Contracts.Runs;

/// <summary>
/// What a run decided to publish, on validation data (report.json and latest.json carry it): the policy, the deciding
/// metric, the chosen candidate and why, every candidate's figures, and the paired bootstrap interval of the gain.
/// </summary>
/// <param name="Policy">The policy (<c>best</c>, <c>integrated-if-better</c>, <c>always</c>).</param>
/// <param name="Metric">The deciding metric, on validation.</param>
/// <param name="Chosen">The candidate published, or kept when nothing new is published (the champion); null when nothing is.</param>
/// <param name="Publish">Whether the run publishes <paramref name="Chosen"/> (false: the run is held and latest.json stays).</param>
/// <param name="Reason">One sentence: what was chosen and why, with the interval.</param>
/// <param name="Candidates">Every candidate, in the order ties are broken (the earlier wins).</param>
/// <param name="Gain">The paired gain behind the decision; null when there was nothing to compare.</param>
public sealed record PromotionDecision(string Policy, string Metric, string? Chosen, bool Publish, string Reason, IReadOnlyList<DecisionCandidate> Candidates,
    DecisionGain? Gain);

/// <summary>One candidate of a decision.</summary>
/// <param name="Name">What it is: <c>champion</c>, <c>integrated</c>, <c>retrained</c>, <c>baseline average</c>, <c>input a</c>, <c>ensemble</c>.</param>
/// <param name="Cost">Its inference cost in single models.</param>
/// <param name="Validation">The deciding metric on validation.</param>
/// <param name="Test">The deciding metric on test (reported, never deciding); null when not measured.</param>
public sealed record DecisionCandidate(string Name, int Cost, double Validation, double? Test);

/// <summary>
/// The gain of one candidate over another on the deciding metric, oriented so that positive is better (a log-loss
/// gain is the reference's loss minus the candidate's): the full validation set's difference and its paired bootstrap
/// 95 % interval (the same resampled validation samples for both models).
/// </summary>
/// <param name="Of">The candidate.</param>
/// <param name="Vs">The reference it is compared with.</param>
/// <param name="Mean">The difference on the whole validation set.</param>
/// <param name="Low">The interval's lower bound (2.5th percentile of the resampled differences).</param>
/// <param name="High">The upper bound (97.5th percentile).</param>
/// <param name="Resamples">How many resamples.</param>
/// <param name="Seed">The resampling seed.</param>
public sealed record DecisionGain(string Of, string Vs, double Mean, double Low, double High, int Resamples, int Seed);
