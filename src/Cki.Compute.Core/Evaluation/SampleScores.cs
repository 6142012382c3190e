namespace Cki.Compute.Evaluation;

/// <summary>
/// One model's predictions on a split, prepared so that a metric can be computed for any weighting of the samples (a
/// bootstrap resample is a weighting: each sample counted as often as it was drawn). With every weight 1 the values
/// are exactly <see cref="Metrics"/>' (which computes every metric with this class): one implementation of each metric.
/// </summary>
public sealed class SampleScores
{
    private readonly string _metric;
    private readonly double[] _perSample; // accuracy: 1 if correct; logloss: the sample's loss; auc: unused
    private readonly int[] _order = []; // auc: samples by ascending score
    private readonly int[] _groupEnds = []; // auc: the end (exclusive) in _order of each group of tied scores
    private readonly bool[] _positive = [];

    private SampleScores(string metric, double[] perSample)
    {
        _metric = metric;
        _perSample = perSample;
    }

    private SampleScores(int[] order, int[] groupEnds, bool[] positive)
    {
        _metric = "auc";
        _perSample = [];
        _order = order;
        _groupEnds = groupEnds;
        _positive = positive;
    }

    /// <summary>How many samples.</summary>
    public int Count => _metric == "auc" ? _order.Length : _perSample.Length;

    /// <summary>
    /// Prepares <paramref name="metric"/> (<c>auc</c>, <c>accuracy</c>, <c>logloss</c>) for binary <paramref name="logits"/>
    /// (one per sample) or class logits (<paramref name="classes"/> per sample, row by row), with labels 0/1 or class indices.
    /// </summary>
    public static SampleScores For(string metric, IReadOnlyList<double> logits, IReadOnlyList<double> labels, int classes = 1)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.Count != labels.Count * classes)
        {
            throw new ArgumentException($"{logits.Count} logits for {labels.Count} labels of {classes} class(es).", nameof(logits));
        }

        return metric switch
        {
            "auc" when classes == 1 => Ranked(logits, labels),
            "accuracy" => new SampleScores(metric, [.. Enumerable.Range(0, labels.Count).Select(i => Predicted(logits, i, classes) == (int)Math.Round(labels[i]) ? 1.0 : 0.0)]),
            "logloss" when classes == 1 => new SampleScores(metric, [.. Enumerable.Range(0, labels.Count).Select(i => BinaryLoss(logits[i], labels[i]))]),
            _ => throw new ArgumentException($"metric '{metric}' is not defined for {classes}-class logits (auc and logloss need binary ones).", nameof(metric)),
        };
    }

    /// <summary>The metric with every sample counted once.</summary>
    public double Value() => Value(null);

    /// <summary>The metric with sample i counted <paramref name="weights"/>[i] times (null: once each). NaN when undefined (AUC of one class).</summary>
    public double Value(int[]? weights)
    {
        if (_metric != "auc")
        {
            double sum = 0, count = 0;
            for (var i = 0; i < _perSample.Length; i++)
            {
                var w = weights?[i] ?? 1;
                sum += w * _perSample[i];
                count += w;
            }

            return count == 0 ? double.NaN : sum / count;
        }

        // Mann-Whitney over tie groups: each positive beats the negatives below its group and half-ties those in it.
        double negativesBelow = 0, wins = 0, positives = 0;
        var start = 0;
        foreach (var end in _groupEnds)
        {
            double groupPositives = 0, groupNegatives = 0;
            for (var k = start; k < end; k++)
            {
                var i = _order[k];
                var w = weights?[i] ?? 1;
                if (_positive[i])
                {
                    groupPositives += w;
                }
                else
                {
                    groupNegatives += w;
                }
            }

            wins += groupPositives * (negativesBelow + (0.5 * groupNegatives));
            negativesBelow += groupNegatives;
            positives += groupPositives;
            start = end;
        }

        return positives == 0 || negativesBelow == 0 ? double.NaN : wins / (positives * negativesBelow);
    }

    private static SampleScores Ranked(IReadOnlyList<double> scores, IReadOnlyList<double> labels)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        var ends = new List<int>();
        for (var k = 1; k <= order.Length; k++)
        {
            if (k == order.Length || scores[order[k]] != scores[order[k - 1]])
            {
                ends.Add(k);
            }
        }

        return new SampleScores(order, [.. ends], [.. labels.Select(y => y > 0.5)]);
    }

    private static int Predicted(IReadOnlyList<double> logits, int sample, int classes)
    {
        if (classes == 1)
        {
            return logits[sample] > 0 ? 1 : 0;
        }

        var best = 0;
        for (var c = 1; c < classes; c++)
        {
            best = logits[(sample * classes) + c] > logits[(sample * classes) + best] ? c : best;
        }

        return best;
    }

    // Binary cross-entropy with a logit, computed stably: max(z, 0) - z*y + log(1 + exp(-|z|)).
    private static double BinaryLoss(double logit, double label) => Math.Max(logit, 0) - (logit * label) + Math.Log(1 + Math.Exp(-Math.Abs(logit)));
}
