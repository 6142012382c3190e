using Cki.Compute.Evaluation;
using Cki.Compute.Tasks;
using Cki.Compute.Tasks.Din;
using static TorchSharp.torch;

namespace Cki.Compute.Experiments;

/// <summary>The recommendation metrics of one model (or ensemble) on one split.</summary>
public static class RecommendationMetrics
{
    /// <summary>Metric names, in table order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["AUC", "UAUC", "logloss", "NDCG@5", "NDCG@10", "NDCG@20", "HR@5", "HR@10", "HR@20"];

    /// <summary>Every metric of the mean logits of <paramref name="models"/> on <paramref name="split"/>.</summary>
    public static IReadOnlyDictionary<string, double> Evaluate(DinTask task, IReadOnlyList<IReadOnlyDictionary<string, Tensor>> models, TaskSplit split)
    {
        ArgumentNullException.ThrowIfNull(task);
        using var scope = NewDisposeScope();
        var (logits, labels) = TaskEvaluation.Logits(task, models, split);
        var users = task.UsersOf(split);
        var scores = logits.to_type(ScalarType.Float64).data<double>().ToArray();
        var y = labels.to_type(ScalarType.Float64).data<double>().ToArray();
        return new Dictionary<string, double>
        {
            ["AUC"] = Metrics.Auc(logits, labels),
            ["UAUC"] = RankingMetrics.UserAuc(users, scores, y),
            ["logloss"] = Metrics.LogLoss(logits, labels),
            ["NDCG@5"] = RankingMetrics.Ndcg(users, scores, y, 5),
            ["NDCG@10"] = RankingMetrics.Ndcg(users, scores, y, 10),
            ["NDCG@20"] = RankingMetrics.Ndcg(users, scores, y, 20),
            ["HR@5"] = RankingMetrics.HitRate(users, scores, y, 5),
            ["HR@10"] = RankingMetrics.HitRate(users, scores, y, 10),
            ["HR@20"] = RankingMetrics.HitRate(users, scores, y, 20),
        };
    }
}
