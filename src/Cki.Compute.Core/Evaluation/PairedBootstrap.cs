namespace Cki.Compute.Evaluation;

/// <summary>The paired difference of two models on one split: on the whole split, and its bootstrap 95 % interval.</summary>
/// <param name="Mean">The difference on the whole split.</param>
/// <param name="Low">2.5th percentile of the resampled differences.</param>
/// <param name="High">97.5th percentile.</param>
/// <param name="Resamples">Resamples that gave a defined difference (an AUC resample with one class only is left out).</param>
public sealed record PairedInterval(double Mean, double Low, double High, int Resamples);

/// <summary>
/// A paired bootstrap over the samples of a split: each resample draws as many samples as there are, with replacement,
/// and BOTH models are scored on the same draw, so the interval is of the difference, not of two separate metrics.
/// Seeded: the same seed gives the same interval.
/// </summary>
public static class PairedBootstrap
{
    /// <summary>
    /// The difference <paramref name="candidate"/> minus <paramref name="reference"/>, negated when lower is better (so that
    /// positive always means the candidate is better), over <paramref name="resamples"/> resamples drawn with <paramref name="seed"/>.
    /// </summary>
    public static PairedInterval Gain(SampleScores candidate, SampleScores reference, bool lowerIsBetter, int resamples, int seed)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(resamples);
        if (candidate.Count != reference.Count)
        {
            throw new ArgumentException($"the two models were scored on different samples ({candidate.Count} and {reference.Count}).", nameof(reference));
        }

        var sign = lowerIsBetter ? -1 : 1;
        var n = candidate.Count;
        var random = new Random(seed);
        var weights = new int[n];
        var differences = new List<double>(resamples);
        for (var r = 0; r < resamples; r++)
        {
            Array.Clear(weights);
            for (var draw = 0; draw < n; draw++)
            {
                weights[random.Next(n)]++;
            }

            var difference = sign * (candidate.Value(weights) - reference.Value(weights));
            if (!double.IsNaN(difference))
            {
                differences.Add(difference);
            }
        }

        differences.Sort();
        var mean = sign * (candidate.Value() - reference.Value());
        return differences.Count == 0
            ? new PairedInterval(mean, double.NaN, double.NaN, 0)
            : new PairedInterval(mean, Percentile(differences, 0.025), Percentile(differences, 0.975), differences.Count);
    }

    /// <summary>The <paramref name="p"/> quantile of sorted values, interpolated linearly between the two nearest.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var position = p * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}
