using static TorchSharp.torch;

namespace Cki.Compute.Evaluation;

/// <summary>
/// Evaluation metrics of tensors; each is computed by <see cref="SampleScores"/>, the same code that scores a bootstrap
/// resample, so a reported metric and the decision's interval can never disagree on what the metric is.
/// </summary>
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
        return RankAuc(Values(scores), Values(labels));
    }

    /// <summary>AUC over arrays (see <see cref="Auc(Tensor, Tensor)"/>); the same computation as a bootstrap resample's.</summary>
    public static double RankAuc(IReadOnlyList<double> scores, IReadOnlyList<double> labels) => SampleScores.For("auc", scores, labels).Value();

    /// <summary>Share of correct predictions: logit &gt; 0 for binary labels, or argmax over the last dim for classes.</summary>
    public static double Accuracy(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        var classes = logits.dim() > 1 && logits.shape[^1] > 1 ? (int)logits.shape[^1] : 1;
        return SampleScores.For("accuracy", Values(logits), Values(labels), classes).Value();
    }

    /// <summary>Mean binary cross-entropy of logits against 0/1 labels (natural log).</summary>
    public static double LogLoss(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        return SampleScores.For("logloss", Values(logits), Values(labels)).Value();
    }

    // A tensor's values, row by row, as doubles on the CPU.
    private static double[] Values(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.reshape(-1).to_type(ScalarType.Float64).cpu().data<double>().ToArray();
    }
}
