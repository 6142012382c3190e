using Cki.Compute.Evaluation;

namespace Cki.Compute.Tests.Evaluation;

public class RankingMetricsTests
{
    // User 1: scores 0.9 (neg), 0.8 (pos), 0.1 (neg). User 2: 0.7 (pos), 0.2 (neg). User 3: only negatives (left out).
    private static readonly int[] Users = [1, 1, 1, 2, 2, 3];
    private static readonly double[] Scores = [0.9, 0.8, 0.1, 0.7, 0.2, 0.5];
    private static readonly double[] Labels = [0, 1, 0, 1, 0, 0];

    [Fact]
    public void Ndcg_HandChecked()
    {
        // User 1: positive at rank 2 -> DCG 1/log2(3) = 0.63093, ideal 1 -> 0.63093. User 2: rank 1 -> 1. Mean 0.81546.
        Assert.Equal((1 / Math.Log2(3) + 1) / 2, RankingMetrics.Ndcg(Users, Scores, Labels, 5), 12);
        // At k = 1 user 1 gets 0: mean 0.5.
        Assert.Equal(0.5, RankingMetrics.Ndcg(Users, Scores, Labels, 1), 12);
    }

    [Fact]
    public void HitRate_HandChecked()
    {
        Assert.Equal(0.5, RankingMetrics.HitRate(Users, Scores, Labels, 1), 12);
        Assert.Equal(1.0, RankingMetrics.HitRate(Users, Scores, Labels, 2), 12);
    }

    [Fact]
    public void UserAuc_WeightsByCandidateCount()
    {
        // User 1 AUC: positive 0.8 beats 0.1, loses to 0.9 -> 0.5 (3 candidates). User 2 -> 1.0 (2 candidates).
        // (0.5 * 3 + 1.0 * 2) / 5 = 0.7.
        Assert.Equal(0.7, RankingMetrics.UserAuc(Users, Scores, Labels), 12);
    }
}
