using Cki.Compute.Evaluation;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Evaluation;

public class MetricsTests
{
    [Fact]
    public void Auc_HandCheckedWithTies()
    {
        // Positives score 0.8 and 0.4, negatives 0.4 and 0.1. Pairs: (0.8>0.4) 1, (0.8>0.1) 1, (0.4=0.4) 0.5, (0.4>0.1) 1 -> 3.5 / 4.
        using var scores = tensor(new float[] { 0.8f, 0.4f, 0.4f, 0.1f });
        using var labels = tensor(new float[] { 1, 1, 0, 0 });
        Assert.Equal(0.875, Metrics.Auc(scores, labels), 12);
    }

    [Fact]
    public void Auc_OneClassOnly_IsNaN() => Assert.True(double.IsNaN(Metrics.RankAuc([0.1, 0.2], [1, 1])));

    [Fact]
    public void Accuracy_BinaryLogits_ThresholdAtZero()
    {
        using var logits = tensor(new float[] { 2, -1, 0.5f, -3 });
        using var labels = tensor(new float[] { 1, 1, 0, 0 });
        Assert.Equal(0.5, Metrics.Accuracy(logits, labels), 12);
    }

    [Fact]
    public void LogLoss_HandChecked()
    {
        // logit 0 -> p = 0.5 -> -ln 0.5 for either label.
        using var logits = tensor(new float[] { 0, 0 });
        using var labels = tensor(new float[] { 1, 0 });
        Assert.Equal(Math.Log(2), Metrics.LogLoss(logits, labels), 6);
    }
}
