using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cki.Compute.Experiments;

/// <summary>Writes the experiment's results: a Markdown table per setting (mean ± spread over seeds) and the raw runs as JSON.</summary>
public static class ExperimentReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Writes <c>results.md</c> and <c>results.json</c> into <paramref name="folder"/>; returns the Markdown.</summary>
    public static string Write(string folder, IReadOnlyList<ExperimentRun> runs, ExperimentFigures figures, ExperimentOptions options)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(figures);
        Directory.CreateDirectory(folder);
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine("# MovieLens (ml-latest-small), DIN, CKI on the head");
        md.AppendLine();
        md.AppendLine(string.Create(c, $"Test-period metrics, mean ± sample std over {options.Seeds} seed pair(s). Input models: best validation epoch of {options.InputEpochs}; CKI: best validation epoch of {options.AssessmentEpochs}, learning rates {string.Join(", ", options.LearningRates)}. Nothing was selected on the test split."));
        md.AppendLine();
        foreach (var setting in runs.Select(r => r.Setting).Distinct())
        {
            md.AppendLine(setting == "shift" ? "## Shift: A trained on the early half of the training period, B on the late half" : "## Same data: A and B differ by seed (the paper's setting)");
            md.AppendLine();
            md.AppendLine("| method | " + string.Join(" | ", RecommendationMetrics.Names) + " |");
            md.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---|", RecommendationMetrics.Names.Count)));
            foreach (var method in runs.Where(r => r.Setting == setting).Select(r => r.Method).Distinct())
            {
                var group = runs.Where(r => r.Setting == setting && r.Method == method).ToList();
                md.Append("| ").Append(method).Append(" |");
                foreach (var metric in RecommendationMetrics.Names)
                {
                    var values = group.Select(r => r.Test[metric]).ToList();
                    var mean = values.Average();
                    var std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : double.NaN;
                    md.Append(string.Create(c, $" {mean:F4}{(double.IsNaN(std) ? string.Empty : $" ± {std:F4}")} |"));
                }

                md.AppendLine();
            }

            md.AppendLine();
        }

        foreach (var plot in ExperimentPlots.Write(folder, runs))
        {
            md.AppendLine($"![{Path.GetFileNameWithoutExtension(plot)}]({Path.GetFileName(plot)})");
        }

        md.AppendLine();
        md.AppendLine(string.Create(c, $"Run: {figures.TotalSeconds / 60:F1} min; {figures.SecondsPerInputEpoch:F1} s per input-model epoch (with its validation pass); peak resident memory {figures.PeakResidentBytes / 1e6:F0} MB."));
        var markdown = md.ToString();
        File.WriteAllText(Path.Combine(folder, "results.md"), markdown);
        File.WriteAllBytes(Path.Combine(folder, "results.json"), JsonSerializer.SerializeToUtf8Bytes(new { options, figures, runs }, Json));
        return markdown;
    }
}
