using Cki.Compute.Evaluation;

namespace Cki.Compute.Tests.Evaluation;

public class PairedBootstrapTests
{
    [Fact]
    public void SampleScores_Weighted_EqualsTheMetricOfTheRepeatedSamples()
    {
        // Weights (2, 0, 1, 3) are the same as the samples listed that many times: checked by the plain computation.
        double[] scores = [0.8, 0.4, 0.4, 0.1], labels = [1, 1, 0, 0];
        int[] weights = [2, 0, 1, 3];
        var repeatedScores = weights.SelectMany((w, i) => Enumerable.Repeat(scores[i], w)).ToList();
        var repeatedLabels = weights.SelectMany((w, i) => Enumerable.Repeat(labels[i], w)).ToList();

        // Hand check: positives 0.8 (x2); negatives 0.4 (x1), 0.1 (x3): every pair is won: AUC 1.
        Assert.Equal(1.0, SampleScores.For("auc", scores, labels).Value(weights), 12);
        Assert.Equal(Metrics.RankAuc(repeatedScores, repeatedLabels), SampleScores.For("auc", scores, labels).Value(weights), 12);
        // Accuracy: 0.8 -> 1 right (x2), 0.4 label 0 -> wrong (x1), 0.1 label 0 -> wrong: logits > 0 all predict 1. 2 of 6.
        Assert.Equal(2.0 / 6, SampleScores.For("accuracy", scores, labels).Value(weights), 12);
        var loss = (2 * Math.Log(1 + Math.Exp(-0.8)) + Math.Log(1 + Math.Exp(0.4)) + 3 * Math.Log(1 + Math.Exp(0.1))) / 6;
        Assert.Equal(loss, SampleScores.For("logloss", scores, labels).Value(weights), 12);
    }

    [Fact]
    public void Gain_AgainstANaiveBootstrapOnTheSameDraws_SameInterval()
    {
        var random = new Random(3);
        var labels = Enumerable.Range(0, 300).Select(_ => (double)random.Next(2)).ToArray();
        var a = labels.Select(y => y + random.NextDouble() * 1.5).ToArray();
        var b = labels.Select(y => y + random.NextDouble() * 2.5).ToArray();

        var gain = PairedBootstrap.Gain(SampleScores.For("auc", a, labels), SampleScores.For("auc", b, labels), lowerIsBetter: false, resamples: 200, seed: 11);

        // The same draws (one Random(seed), n draws per resample), materialised and scored by the plain AUC.
        var draws = new Random(11);
        var differences = new List<double>();
        for (var r = 0; r < 200; r++)
        {
            var picked = Enumerable.Range(0, labels.Length).Select(_ => draws.Next(labels.Length)).ToArray();
            differences.Add(Metrics.RankAuc([.. picked.Select(i => a[i])], [.. picked.Select(i => labels[i])])
                - Metrics.RankAuc([.. picked.Select(i => b[i])], [.. picked.Select(i => labels[i])]));
        }

        differences.Sort();
        Assert.Equal(Metrics.RankAuc(a, labels) - Metrics.RankAuc(b, labels), gain.Mean, 12);
        Assert.Equal(PairedBootstrap.Percentile(differences, 0.025), gain.Low, 12);
        Assert.Equal(PairedBootstrap.Percentile(differences, 0.975), gain.High, 12);
        Assert.Equal(200, gain.Resamples);
        Assert.True(gain.Low > 0, $"model a is clearly better; interval [{gain.Low}, {gain.High}]");
    }

    [Fact]
    public void Gain_LowerIsBetter_PositiveMeansLessLoss()
    {
        double[] labels = [1, 0, 1, 0, 1, 0];
        var sharp = SampleScores.For("logloss", [3, -3, 3, -3, 3, -3], labels);
        var blunt = SampleScores.For("logloss", [0.5, -0.5, 0.5, -0.5, 0.5, -0.5], labels);

        var gain = PairedBootstrap.Gain(sharp, blunt, lowerIsBetter: true, resamples: 1000, seed: 0);

        Assert.Equal(Math.Log(1 + Math.Exp(-0.5)) - Math.Log(1 + Math.Exp(-3)), gain.Mean, 12);
        Assert.True(gain.Low > 0);
    }

    [Fact]
    public void Gain_SameModelTwice_ZeroWithAZeroInterval()
    {
        var scores = SampleScores.For("accuracy", [1, -1, 2, -2], [1, 1, 0, 0]);
        var gain = PairedBootstrap.Gain(scores, scores, lowerIsBetter: false, resamples: 1000, seed: 5);
        Assert.Equal((0.0, 0.0, 0.0), (gain.Mean, gain.Low, gain.High));
    }

    [Fact]
    public void Percentile_InterpolatesBetweenNeighbours() =>
        Assert.Equal(1.5, PairedBootstrap.Percentile([1.0, 2.0], 0.5), 12);
}
