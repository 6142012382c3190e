namespace Cki.Compute.Evaluation;

/// <summary>
/// Per-user metrics of a recommendation test split. Each user's test samples are that user's candidates: ranked by
/// score, with the label (clicked / rated 4 or more) as binary relevance. Users with no positive (or, for AUC, no
/// negative) candidate are left out, since no ranking of theirs can be right or wrong.
/// </summary>
public static class RankingMetrics
{
    /// <summary>
    /// User-averaged AUC: each user's AUC over their candidates, averaged with the user's candidate count as
    /// weight (as the DIN paper weights by impressions).
    /// </summary>
    public static double UserAuc(IReadOnlyList<int> users, IReadOnlyList<double> scores, IReadOnlyList<double> labels)
    {
        double weighted = 0, total = 0;
        foreach (var (s, y) in ByUser(users, scores, labels))
        {
            var auc = Metrics.RankAuc(s, y);
            if (!double.IsNaN(auc))
            {
                weighted += auc * s.Count;
                total += s.Count;
            }
        }

        return total == 0 ? double.NaN : weighted / total;
    }

    /// <summary>
    /// Mean over users of NDCG@k: DCG of the top k by score (gain 1 for a positive, discount 1/log2(rank + 1)) over
    /// the DCG of the ideal order. Ties in score keep the input order.
    /// </summary>
    public static double Ndcg(IReadOnlyList<int> users, IReadOnlyList<double> scores, IReadOnlyList<double> labels, int k) =>
        MeanOverUsers(users, scores, labels, (s, y) =>
        {
            var ranked = Ranked(s, y).Take(k).ToList();
            var dcg = ranked.Select((rel, i) => rel / Math.Log2(i + 2)).Sum();
            var ideal = y.OrderByDescending(v => v).Take(k).Select((rel, i) => rel / Math.Log2(i + 2)).Sum();
            return dcg / ideal;
        });

    /// <summary>Mean over users of HR@k: 1 when a positive is among the top k by score.</summary>
    public static double HitRate(IReadOnlyList<int> users, IReadOnlyList<double> scores, IReadOnlyList<double> labels, int k) =>
        MeanOverUsers(users, scores, labels, (s, y) => Ranked(s, y).Take(k).Any(rel => rel > 0.5) ? 1.0 : 0.0);

    private static IEnumerable<double> Ranked(List<double> scores, List<double> labels) =>
        Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).Select(i => labels[i]);

    private static double MeanOverUsers(IReadOnlyList<int> users, IReadOnlyList<double> scores, IReadOnlyList<double> labels,
        Func<List<double>, List<double>, double> metric)
    {
        double sum = 0;
        var count = 0;
        foreach (var (s, y) in ByUser(users, scores, labels))
        {
            if (y.Any(v => v > 0.5))
            {
                sum += metric(s, y);
                count++;
            }
        }

        return count == 0 ? double.NaN : sum / count;
    }

    private static IEnumerable<(List<double> Scores, List<double> Labels)> ByUser(IReadOnlyList<int> users, IReadOnlyList<double> scores, IReadOnlyList<double> labels)
    {
        if (users.Count != scores.Count || users.Count != labels.Count)
        {
            throw new ArgumentException($"{users.Count} users, {scores.Count} scores and {labels.Count} labels must match.");
        }

        var groups = new Dictionary<int, (List<double>, List<double>)>();
        for (var i = 0; i < users.Count; i++)
        {
            if (!groups.TryGetValue(users[i], out var group))
            {
                group = ([], []);
                groups[users[i]] = group;
            }

            group.Item1.Add(scores[i]);
            group.Item2.Add(labels[i]);
        }

        return groups.OrderBy(g => g.Key).Select(g => g.Value);
    }
}
