using System.Globalization;
using System.Text;
using Cki.Contracts.Documents;
using Cki.Contracts.Runs;
using Cki.Contracts.Storage;
using Cki.Workflow.Storage;
using Cki.Workflow.Termination;
using Microsoft.DurableTask;

namespace Cki.Workflow.Activities;

/// <summary>
/// Writes a run's summary: <c>runs/{runId}/summary.json</c> always; for a completed (or superseded) run also
/// <c>report.json</c> and <c>report.md</c> (the evaluation table) into its output folder, unless the run was terminated.
/// </summary>
public sealed class WriteReportActivity(WorkflowStorage storage) : TaskActivity<RunSummary, RunSummary>
{
    /// <summary>The report's file names in the output folder.</summary>

    /// <summary>The evaluation as JSON (<see cref="RunDocuments.Report"/>).</summary>
    public const string ReportJson = RunDocuments.ReportFile;

    /// <summary>The readable report.</summary>
    public const string ReportMarkdown = "report.md";

    /// <summary>The report's metrics chart (<see cref="ReportChart"/>).</summary>
    public const string MetricsPlot = "metrics.png";

    /// <inheritdoc />
    public override async Task<RunSummary> RunAsync(TaskActivityContext context, RunSummary input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Decision is null && input.DecisionFile is { } file)
        {
            // The decide job's decision joins the report (the orchestration only carries its blob name).
            input = input with
            {
                Decision = await storage.ReadAsync(RunDocuments.Decision(file), CancellationToken.None).ConfigureAwait(false)
                    ?? throw new FileNotFoundException($"{file}: the decision is missing.", file),
            };
        }

        if (RunOutcomes.Reported(input.Outcome))
        {
            await RunTermination.EnsureNotTerminatedAsync(storage, input.RunId, "the report", CancellationToken.None).ConfigureAwait(false);
            var folder = BlobLayout.IntegratedRunPrefix(input.Family, input.RunId);
            await storage.WriteAsync(RunDocuments.Report(input.Family, input.RunId), input, CancellationToken.None).ConfigureAwait(false);
            var plots = await CompatibilityPlots.ListAsync(storage, folder, CancellationToken.None).ConfigureAwait(false);
            if (ReportChart.Png(input) is { } chart)
            {
                await storage.WriteSmallAsync(BlobLayout.IntegratedContainer, folder + MetricsPlot, chart, null, CancellationToken.None).ConfigureAwait(false);
            }

            await storage.WriteSmallAsync(BlobLayout.IntegratedContainer, folder + ReportMarkdown, Encoding.UTF8.GetBytes(Markdown(input) + CompatibilityPlots.Markdown(plots)), null,
                    CancellationToken.None)
                .ConfigureAwait(false);

            await RunTermination.SweepIfTerminatedAsync(storage, input.Family, input.RunId, "the report", CancellationToken.None).ConfigureAwait(false);
        }

        await storage.WriteAsync(RunDocuments.RunSummary(input.RunId), input, CancellationToken.None).ConfigureAwait(false);
        return input;
    }

    /// <summary>The evaluation table and the jobs, as Markdown.</summary>
    public static string Markdown(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"# Run {summary.RunId} of {summary.Family}: {summary.Outcome}");
        text.AppendLine();
        if (summary.Decision is { } decision)
        {
            // What was published and why, first: the one sentence a nightly user reads.
            text.AppendLine(c, $"**Decision ({decision.Policy}, on validation {decision.Metric}):** {decision.Reason}");
            text.AppendLine();
            if (summary.ChampionNote is { } note)
            {
                text.AppendLine(c, $"Note: {note}.");
                text.AppendLine();
            }

            text.AppendLine(c, $"| candidate | cost | validation {decision.Metric} | test {decision.Metric} (reported, never deciding) |");
            text.AppendLine("|---|---|---|---|");
            foreach (var candidate in decision.Candidates)
            {
                var mark = candidate.Name == decision.Chosen ? (decision.Publish ? " (published)" : " (kept)") : "";
                text.AppendLine(c, $"| {candidate.Name}{mark} | {candidate.Cost}x | {candidate.Validation:F4} | {(candidate.Test is { } t ? t.ToString("F4", c) : "")} |");
            }

            text.AppendLine();
        }
        if (summary.SupersededBy is not null)
        {
            text.AppendLine(c, $"Not published: {summary.Publication}. `latest.json` keeps {summary.SupersededBy}; this run's outputs stay in its folder.");
            text.AppendLine();
        }

        if (summary.Evaluation.Any(r => r.Metrics.ContainsKey(MetricNames.Test(MetricNames.Auc))))
        {
            text.AppendLine(c, $"![test AUC per model]({MetricsPlot})");
            text.AppendLine();
        }

        if (summary.Evaluation.Count > 0)
        {
            var metrics = summary.Evaluation.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
            text.AppendLine("| model | cost | " + string.Join(" | ", metrics) + " |");
            text.AppendLine("|---|---|" + string.Concat(metrics.Select(_ => "---|")));
            foreach (var row in summary.Evaluation)
            {
                text.AppendLine(string.Create(c, $"| {row.Target} | {row.InferenceCost}x | ") +
                    string.Join(" | ", metrics.Select(m => row.Metrics.TryGetValue(m, out var v) ? v.ToString("F4", c) : "")) + " |");
            }

            text.AppendLine();
            if (Reading(summary) is { } reading)
            {
                text.AppendLine(reading);
                text.AppendLine();
            }

            text.AppendLine("Choices (learning rate, epochs) were made on the validation split; test figures are reported, never used to choose.");
            text.AppendLine();
        }

        text.AppendLine("| job | kind | attempts | seconds |");
        text.AppendLine("|---|---|---|---|");
        foreach (var job in summary.Jobs)
        {
            text.AppendLine(c, $"| {job.JobId} | {job.Kind} | {job.Attempts} | {job.Seconds:F1} |");
        }

        return text.ToString();
    }

    /// <summary>
    /// One honest sentence: the integrated model against the best single input (picked on VALIDATION AUC) and the
    /// output ensemble, on test AUC; null when AUC was not measured.
    /// </summary>
    public static string? Reading(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var test = MetricNames.Test(MetricNames.Auc);
        var integrated = summary.Evaluation.FirstOrDefault(r => r.Target == CandidateNames.Integrated);
        var best = BestOnValidation.Input(summary.Evaluation.Where(r => r.Metrics.ContainsKey(test)), MetricNames.Auc);
        if (integrated is null || !integrated.Metrics.ContainsKey(test) || best is null)
        {
            return null;
        }

        var c = CultureInfo.InvariantCulture;
        var verdict = integrated.Metrics[test] > best.Metrics[test] ? "beats" : "does NOT beat";
        var line = string.Create(c, $"Reading: at 1x inference cost the integrated model {verdict} the best single input chosen on validation ({best.Target}): test AUC {integrated.Metrics[test]:F4} vs {best.Metrics[test]:F4}.");
        if (summary.Evaluation.FirstOrDefault(r => r.InferenceCost > 1) is { } ensemble && ensemble.Metrics.TryGetValue(test, out var ensembleAuc))
        {
            line += string.Create(c, $" The output ensemble ({ensemble.InferenceCost}x cost) reaches {ensembleAuc:F4}.");
        }

        return line;
    }
}
