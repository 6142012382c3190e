using Cki.Contracts.Runs;
using Cki.Contracts.Manifests;

namespace Cki.Contracts.Tests.Manifests;

public class PromotionManifestTests
{
    private const string Blob = "checkpoints/f/cki.yaml";

    private static FamilyManifest Parse(string text) => FamilyManifestParser.Parse(text, Blob);

    [Fact]
    public void Parse_NoPromotionSection_BestWithATask_AlwaysWithout()
    {
        var withTask = Parse("task: synthetic\nsources: [a, b]\n").Promotion;
        Assert.Equal((PromotionOptions.Best, null, 0.0, false, 1000, 0), (withTask.Policy, withTask.Metric, withTask.Margin, withTask.AllowEnsemble, withTask.Resamples, withTask.Seed));
        Assert.Equal(PromotionOptions.Always, Parse("task: none\nsources: [a, b]\n").Promotion.Policy);
    }

    [Fact]
    public void Parse_EveryKey_KeepsItsValue()
    {
        var promotion = Parse("""
            task: synthetic
            sources: [a, b]
            evaluation:
              metrics: [auc, logloss]
            promotion:
              policy: integrated-if-better
              metric: logloss
              margin: 0.002
              allow_ensemble: true
              resamples: 2000
              seed: 7
            """).Promotion;

        Assert.Equal((PromotionOptions.IntegratedIfBetter, "logloss", 0.002, true, 2000, 7),
            (promotion.Policy, promotion.Metric, promotion.Margin, promotion.AllowEnsemble, promotion.Resamples, promotion.Seed));
        Assert.True(MetricNames.LowerIsBetter(MetricNames.LogLoss));
        Assert.False(MetricNames.LowerIsBetter(MetricNames.Auc));
    }

    [Theory]
    [InlineData("task: none\nsources: [a, b]\npromotion:\n  policy: best\n", "checkpoints/f/cki.yaml:4:11", "promotion.policy", "only 'always'")]
    [InlineData("task: none\nsources: [a, b]\npromotion:\n  metric: auc\n", "checkpoints/f/cki.yaml:4:3", "promotion.metric", "evaluates nothing")]
    [InlineData("task: synthetic\nsources: [a, b]\npromotion:\n  metric: accuracy\n", "checkpoints/f/cki.yaml:4:11", "promotion.metric", "accuracy")]
    [InlineData("task: synthetic\nsources: [a, b]\npromotion:\n  policy: sometimes\n", "checkpoints/f/cki.yaml:4:11", "promotion.policy", "sometimes")]
    [InlineData("task: synthetic\nsources: [a, b]\npromotion:\n  resamples: 999\n", "checkpoints/f/cki.yaml:4:14", "promotion.resamples", "999")]
    [InlineData("task: synthetic\nsources: [a, b]\npromotion:\n  margins: 0.1\n", "checkpoints/f/cki.yaml:4:3", "promotion.margins", "margins")]
    public void Parse_BadPromotion_ErrorNamesFileLineAndField(string text, string where, string field, string detail)
    {
        var error = Assert.Throws<ManifestException>(() => Parse(text));
        Assert.Contains(where, error.Message, StringComparison.Ordinal);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
    }
}
