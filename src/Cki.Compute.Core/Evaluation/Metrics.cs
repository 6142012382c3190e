using static TorchSharp.torch;

namespace Cki.Compute.Evaluation;

/// <summary>Evaluation metrics; each is computed here and nowhere else.</summary>
public static class Metrics
{
    /// <summary>
    /// ROC AUC of <paramref name="scores"/> for binary <paramref name="labels"/> (1 positive): the Mann-Whitney
    /// statistic with tied scores given their average rank. NaN when one class is absent.
    /// </summary>
    public static double Auc(Tensor scores, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        var s = scores.reshape(-1).to_type(ScalarType.Float64).data<double>().ToArray();
        var y = labels.reshape(-1).to_type(ScalarType.Float64).data<double>().ToArray();
        return RankAuc(s, y);
    }

    /// <summary>AUC over arrays (see <see cref="Auc(Tensor, Tensor)"/>); the same computation as a bootstrap resample's.</summary>
    public static double RankAuc(IReadOnlyList<double> scores, IReadOnlyList<double> labels) => SampleScores.For("auc", scores, labels).Value();

    /// <summary>Share of correct predictions: logit &gt; 0 for binary labels, or argmax over the last dim for classes.</summary>
    public static double Accuracy(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        using var scope = NewDisposeScope();
        var predicted = logits.dim() > 1 && logits.shape[^1] > 1
            ? logits.argmax(-1)
            : logits.reshape(-1).gt(0).to_type(ScalarType.Int64);
        return predicted.eq(labels.reshape(-1).to_type(ScalarType.Int64)).to_type(ScalarType.Float64).mean().item<double>();
    }

    /// <summary>Mean binary cross-entropy of logits against 0/1 labels (natural log).</summary>
    public static double LogLoss(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        using var scope = NewDisposeScope();
        return nn.functional.binary_cross_entropy_with_logits(logits.reshape(-1).to_type(ScalarType.Float64),
            labels.reshape(-1).to_type(ScalarType.Float64)).item<double>();
    }
}
