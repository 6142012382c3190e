using Cki.Contracts.Runs;
using Cki.Workflow.Api;

namespace Cki.Workflow.Tests.Api;

public sealed class RunHeadlineTests
{
    private static RunSummary Summary(params EvaluationRow[] rows) => new() { RunId = "f-1", Family = "f", Outcome = "completed", Evaluation = rows };

    private static EvaluationRow Row(string target, params (string Metric, double Value)[] metrics) =>
        new(target, 1, metrics.ToDictionary(m => m.Metric, m => m.Value));

    [Fact]
    public void From_BestInputIsChosenOnValidation_NotOnTest()
    {
        // Input b has the better TEST auc, input a the better VALIDATION auc: a is the best input.
        var headline = RunHeadline.From(Summary(
            Row("integrated", ("validation.auc", 0.80), ("test.auc", 0.79)),
            Row("input a", ("validation.auc", 0.78), ("test.auc", 0.75)),
            Row("input b", ("validation.auc", 0.77), ("test.auc", 0.81)),
            Row("baseline average", ("validation.auc", 0.90), ("test.auc", 0.90))));

        Assert.Equal(new RunHeadline("auc", 0.79, 0.75, "input a", true), headline);
    }

    [Fact]
    public void From_OnlyLogloss_LowerIsBetter()
    {
        var headline = RunHeadline.From(Summary(
            Row("integrated", ("validation.logloss", 0.50), ("test.logloss", 0.52)),
            Row("input a", ("validation.logloss", 0.40), ("test.logloss", 0.45)),
            Row("input b", ("validation.logloss", 0.60), ("test.logloss", 0.30))));

        Assert.Equal(new RunHeadline("logloss", 0.52, 0.45, "input a", false), headline);
    }

    [Fact]
    public void From_NoEvaluation_IsNull()
    {
        Assert.Null(RunHeadline.From(Summary()));
        Assert.Null(RunHeadline.From(null));
    }
}
