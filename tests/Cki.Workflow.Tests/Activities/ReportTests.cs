using Cki.Contracts.Runs;
using Cki.Workflow.Activities;

namespace Cki.Workflow.Tests.Activities;

public class ReportTests
{
    private static EvaluationRow Row(string target, int cost, double? validation, double? test)
    {
        var metrics = new Dictionary<string, double>();
        if (validation is { } v)
        {
            metrics["validation.auc"] = v;
        }

        if (test is { } t)
        {
            metrics["test.auc"] = t;
        }

        return new EvaluationRow(target, cost, metrics);
    }

    /// <summary>
    /// Input a is best on test (0.80) but input b is best on validation (0.75 against 0.70): the reading must compare
    /// against b, whose test AUC is 0.72.
    /// </summary>
    private static RunSummary Summary(double integratedTest, params EvaluationRow[] extra) => new()
    {
        RunId = "movies-0123456789abcdef",
        Family = "movies",
        Outcome = "completed",
        Evaluation =
        [
            Row("integrated", 1, 0.74, integratedTest),
            Row("input a", 1, 0.70, 0.80),
            Row("input b", 1, 0.75, 0.72),
            Row("output ensemble", 2, 0.77, 0.79),
            Row("baseline average", 1, 0.71, 0.81),
            .. extra,
        ],
        Jobs =
        [
            new JobRecord("profile-a", "profile", 1, 2.44, true),
            new JobRecord("splice-1", "splice", 2, 10.04, true),
        ],
    };

    [Fact]
    public void Reading_IntegratedAboveBestOnValidation_SaysBeatsAndNamesIt() =>
        Assert.Equal(
            "Reading: at 1x inference cost the integrated model beats the best single input chosen on validation (input b): test AUC 0.7600 vs 0.7200." +
            " The output ensemble (2x cost) reaches 0.7900.",
            WriteReportActivity.Reading(Summary(0.76)));

    [Fact]
    public void Reading_IntegratedBelowBestOnValidation_SaysDoesNotBeat() =>
        Assert.Equal(
            "Reading: at 1x inference cost the integrated model does NOT beat the best single input chosen on validation (input b): test AUC 0.7100 vs 0.7200." +
            " The output ensemble (2x cost) reaches 0.7900.",
            WriteReportActivity.Reading(Summary(0.71)));

    [Fact]
    public void Reading_IntegratedEqualToBestOnValidation_SaysDoesNotBeat() =>
        Assert.Contains("does NOT beat", WriteReportActivity.Reading(Summary(0.72)), StringComparison.Ordinal);

    [Fact]
    public void Reading_BestOnTestIsNotBestOnValidation_PicksOnValidation()
    {
        // 0.76 is below input a's test AUC (0.80): picking on test would say "does NOT beat (input a)".
        var reading = WriteReportActivity.Reading(Summary(0.76))!;

        Assert.Contains("(input b)", reading, StringComparison.Ordinal);
        Assert.DoesNotContain("input a", reading, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_InputWithoutValidationAuc_IsNotACandidate()
    {
        // Input c has the best test AUC but no validation figure: it cannot be chosen.
        var reading = WriteReportActivity.Reading(Summary(0.76, Row("input c", 1, null, 0.99)))!;

        Assert.Contains("beats the best single input chosen on validation (input b)", reading, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_NoEnsembleRow_SaysNothingOfIt()
    {
        var summary = Summary(0.76);
        summary = summary with { Evaluation = summary.Evaluation.Where(r => r.InferenceCost == 1).ToList() };

        Assert.Equal(
            "Reading: at 1x inference cost the integrated model beats the best single input chosen on validation (input b): test AUC 0.7600 vs 0.7200.",
            WriteReportActivity.Reading(summary));
    }

    [Fact]
    public void Reading_IntegratedWithoutTestAuc_IsNull()
    {
        var summary = Summary(0.76);
        summary = summary with { Evaluation = [Row("integrated", 1, 0.74, null), .. summary.Evaluation.Skip(1)] };

        Assert.Null(WriteReportActivity.Reading(summary));
    }

    [Fact]
    public void Reading_InputsWithoutValidationAuc_IsNull() =>
        Assert.Null(WriteReportActivity.Reading(Summary(0.76) with { Evaluation = [Row("integrated", 1, 0.74, 0.76), Row("input a", 1, null, 0.8)] }));

    [Fact]
    public void Reading_NoIntegratedRow_IsNull() =>
        Assert.Null(WriteReportActivity.Reading(Summary(0.76) with { Evaluation = [Row("input a", 1, 0.7, 0.8), Row("input b", 1, 0.75, 0.72)] }));

    [Fact]
    public void Reading_LogLossOnly_IsNull()
    {
        var logloss = new Dictionary<string, double> { ["validation.logloss"] = 0.5, ["test.logloss"] = 0.4 };

        Assert.Null(WriteReportActivity.Reading(Summary(0.76) with
        {
            Evaluation = [new EvaluationRow("integrated", 1, logloss), new EvaluationRow("input a", 1, logloss), new EvaluationRow("output ensemble", 2, logloss)],
        }));
    }

    [Fact]
    public void Markdown_CompletedRun_HasTheTableTheReadingAndTheJobs()
    {
        var lines = WriteReportActivity.Markdown(Summary(0.76)).ReplaceLineEndings("\n").Split('\n');

        Assert.Equal("# Run movies-0123456789abcdef of movies: completed", lines[0]);
        Assert.Contains("| model | cost | test.auc | validation.auc |", lines);
        Assert.Contains("|---|---|---|---|", lines);
        Assert.Contains("| integrated | 1x | 0.7600 | 0.7400 |", lines);
        Assert.Contains("| input b | 1x | 0.7200 | 0.7500 |", lines);
        Assert.Contains("| output ensemble | 2x | 0.7900 | 0.7700 |", lines);
        Assert.Contains(WriteReportActivity.Reading(Summary(0.76)), lines);
        Assert.Contains("Choices (learning rate, epochs) were made on the validation split; test figures are reported, never used to choose.", lines);
        Assert.Contains("| job | kind | attempts | seconds |", lines);
        Assert.Contains("| profile-a | profile | 1 | 2.4 |", lines);
        Assert.Contains("| splice-1 | splice | 2 | 10.0 |", lines);
    }

    [Fact]
    public void Markdown_MetricMissingInARow_LeavesItsCellEmpty()
    {
        var markdown = WriteReportActivity.Markdown(Summary(0.76, Row("input c", 1, null, 0.5)));

        Assert.Contains("| input c | 1x | 0.5000 |  |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_FailedRunWithoutEvaluation_HasOnlyTheJobs()
    {
        var markdown = WriteReportActivity.Markdown(Summary(0.76) with { Outcome = "failed", Evaluation = [] });

        Assert.StartsWith("# Run movies-0123456789abcdef of movies: failed", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("| model |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Reading:", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Choices", markdown, StringComparison.Ordinal);
        Assert.Contains("| splice-1 | splice | 2 | 10.0 |", markdown, StringComparison.Ordinal);
    }
}
