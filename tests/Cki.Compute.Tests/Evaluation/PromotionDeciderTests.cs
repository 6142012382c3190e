using Cki.Compute.Evaluation;
using Cki.Contracts.Manifests;

namespace Cki.Compute.Tests.Evaluation;

public class PromotionDeciderTests
{
    // 400 validation samples; a model's logit is label + noise of its own size: less noise is a better model.
    private static readonly double[] Labels = [.. Enumerable.Range(0, 400).Select(i => (double)(i % 2))];

    private static ScoredCandidate Model(string name, double noise, int seed, double? test = null, int cost = 1)
    {
        var random = new Random(seed);
        var logits = Labels.Select(y => (2 * y) - 1 + (noise * ((random.NextDouble() * 2) - 1))).ToArray();
        return new ScoredCandidate(name, cost, SampleScores.For("auc", logits, Labels), test);
    }

    [Fact]
    public void Best_ValidationAndTestDisagree_FollowsValidation()
    {
        // input b is better on validation; the integrated model is "better" on test. The decision looks at validation only.
        ScoredCandidate[] candidates = [Model("integrated", 4, 1, test: 0.99), Model("input a", 4, 2, test: 0.60), Model("input b", 1.5, 3, test: 0.70)];

        var decision = PromotionDecider.Decide(candidates, new PromotionOptions(), "auc");

        Assert.Equal(("input b", true), (decision.Chosen, decision.Publish));
        Assert.Equal(0.99, decision.Candidates.Single(c => c.Name == "integrated").Test);
        Assert.StartsWith("published input b, the best of the candidates of 1x inference cost on validation auc", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Best_ChampionStillBest_HeldAndNothingPublished()
    {
        ScoredCandidate[] candidates = [Model("champion", 1, 9), Model("integrated", 3, 1), Model("input a", 3, 2)];

        var decision = PromotionDecider.Decide(candidates, new PromotionOptions(), "auc");

        Assert.Equal(("champion", false), (decision.Chosen, decision.Publish));
        Assert.Equal(("champion", "integrated"), (decision.Gain!.Of, decision.Gain.Vs));
        Assert.True(decision.Gain.Mean > 0);
    }

    [Fact]
    public void Best_EnsembleBestButNotAllowed_OnlyOneTimesCostCandidates()
    {
        ScoredCandidate[] candidates = [Model("integrated", 2, 1), Model("input a", 3, 2), Model("ensemble", 0.5, 4, cost: 2)];

        Assert.Equal("integrated", PromotionDecider.Decide(candidates, new PromotionOptions(), "auc").Chosen);
        Assert.Equal("ensemble", PromotionDecider.Decide(candidates, new PromotionOptions { AllowEnsemble = true }, "auc").Chosen);
    }

    [Fact]
    public void IntegratedIfBetter_ClearlyBetterThanTheChampion_Published()
    {
        ScoredCandidate[] candidates = [Model("champion", 4, 9), Model("integrated", 1, 1), Model("input a", 4, 2)];

        var decision = PromotionDecider.Decide(candidates, new PromotionOptions { Policy = PromotionOptions.IntegratedIfBetter }, "auc");

        Assert.Equal(("integrated", true), (decision.Chosen, decision.Publish));
        Assert.Equal(("integrated", "champion", 1000), (decision.Gain!.Of, decision.Gain.Vs, decision.Gain.Resamples));
        Assert.True(decision.Gain.Low >= 0);
    }

    [Fact]
    public void IntegratedIfBetter_NotBetterThanTheChampion_HeldKeepingTheChampion()
    {
        ScoredCandidate[] candidates = [Model("champion", 2, 9), Model("integrated", 2, 1), Model("input a", 4, 2)];

        var decision = PromotionDecider.Decide(candidates, new PromotionOptions { Policy = PromotionOptions.IntegratedIfBetter }, "auc");

        Assert.Equal(("champion", false), (decision.Chosen, decision.Publish));
        Assert.True(decision.Gain!.Low < 0);
        Assert.StartsWith("held: integrated - champion = ", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void IntegratedIfBetter_NoChampion_ComparesWithTheBestInput()
    {
        ScoredCandidate[] candidates = [Model("integrated", 3, 1), Model("input a", 4, 2), Model("input b", 1, 3)];

        var decision = PromotionDecider.Decide(candidates, new PromotionOptions { Policy = PromotionOptions.IntegratedIfBetter }, "auc");

        Assert.Equal((null, false, "input b"), (decision.Chosen, decision.Publish, decision.Gain!.Vs));
    }

    [Fact]
    public void Always_PublishesTheIntegratedModelWhateverItScores()
    {
        ScoredCandidate[] candidates = [Model("champion", 1, 9), Model("integrated", 5, 1)];

        var decision = PromotionDecider.Decide(candidates, new PromotionOptions { Policy = PromotionOptions.Always }, "auc");

        Assert.Equal(("integrated", true), (decision.Chosen, decision.Publish));
    }
}
