using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cki.Compute.Experiments.Sentiment;

/// <summary>
/// Writes the sentiment experiment's results: per judged column a Markdown table of test accuracy and AUC (mean ±
/// spread over seeds) with the paired differences to the best input (chosen on validation) and their 95 %
/// t-intervals, a forest plot of the accuracy differences per column, bar charts, and the raw rows as JSON.
/// </summary>
public static class SentimentReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private static readonly string[] Metrics = ["accuracy", "AUC"];

    /// <summary>Writes <c>results.md</c>, <c>results.json</c> and the plots into <paramref name="folder"/>; returns the Markdown.</summary>
    public static string Write(string folder, IReadOnlyList<ExperimentRun> runs, SentimentExperimentOptions options, string encoder, double seconds)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(folder);
        var seeds = runs.Select(r => r.Seed).Distinct().Count();
        var md = new StringBuilder();
        md.AppendLine("# Sentiment (UCI sentences: amazon, imdb, yelp), frozen encoder, CKI on the classification head");
        md.AppendLine();
        md.AppendLine(string.Create(C, $"Encoder {encoder} (frozen; features cached). Head: dense {384}x{384} + tanh + out_proj, one logit. {seeds} seed(s); ") +
            string.Create(C, $"heads: Adam {options.HeadLearningRate}, batch 32, up to {options.HeadEpochs} epochs, best validation accuracy kept; ") +
            string.Create(C, $"CKI: P only, up to {options.AssessmentEpochs} epochs, learning rates {string.Join(", ", options.LearningRates.Select(r => r.ToString(C)))} chosen on validation. ") +
            string.Create(C, $"Every number is on the test split; nothing was selected on it. Run time {seconds:F0} s."));
        md.AppendLine();
        // The seeds setting's domains pooled: each (domain, seed pair) is one pair of the paired difference.
        var seedColumns = runs.Where(r => r.Setting.StartsWith("seeds on ", StringComparison.Ordinal)).Select(r => r.Setting).Distinct().ToList();
        var pooled = runs.Where(r => seedColumns.Contains(r.Setting))
            .Select(r => r with { Setting = PooledSeeds, Seed = (seedColumns.IndexOf(r.Setting) * 1000) + r.Seed }).ToList();
        var all = seedColumns.Count > 1 ? runs.Concat(pooled).ToList() : runs.ToList();
        foreach (var column in all.Select(r => r.Setting).Distinct())
        {
            var rows = all.Where(r => r.Setting == column).ToList();
            md.AppendLine(CultureInfo.InvariantCulture, $"## {column}");
            md.AppendLine();
            md.AppendLine("| method | accuracy | AUC | Δ accuracy vs best input [95 % CI] (wins) | Δ AUC vs best input [95 % CI] (wins) |");
            md.AppendLine("|---|---|---|---|---|");
            var forest = new List<(string, PairedDifference)>();
            foreach (var method in rows.Select(r => r.Method).Distinct())
            {
                var cells = new List<string> { method };
                foreach (var metric in new[] { "accuracy", "AUC" })
                {
                    cells.Add(MeanSpread(Values(rows, method, metric)));
                }

                foreach (var metric in new[] { "accuracy", "AUC" })
                {
                    if (method == SentimentExperiment.BestInput)
                    {
                        cells.Add("(reference)");
                        continue;
                    }

                    var d = PairedDifference.Of(Values(rows, method, metric), Values(rows, SentimentExperiment.BestInput, metric));
                    cells.Add(Difference(d));
                    if (metric == "accuracy")
                    {
                        forest.Add((method, d));
                    }
                }

                md.AppendLine("| " + string.Join(" | ", cells) + " |");
            }

            md.AppendLine();
            if (rows.Any(r => r.Method == SentimentExperiment.ParentRow))
            {
                WriteOneParentReferences(md, rows, options);
            }

            var png = ExperimentPlots.WriteForest(folder, column, "accuracy", forest, "accuracy");
            md.AppendLine(CultureInfo.InvariantCulture, $"![forest plot]({Path.GetFileName(png)})");
            md.AppendLine();
        }

        ExperimentPlots.Write(folder, runs, ["accuracy"]);
        File.WriteAllText(Path.Combine(folder, "results.json"), JsonSerializer.Serialize(new { options, encoder, seconds, runs }, Json));
        File.WriteAllText(Path.Combine(folder, "results.md"), md.ToString());
        return md.ToString();
    }

    // The one-parent setting's other references: the parent, averaging and the compute-matched control; and the two
    // retraining epochs against one more epoch of the best input.
    private static void WriteOneParentReferences(StringBuilder md, List<ExperimentRun> rows, SentimentExperimentOptions options)
    {
        string[] references = [SentimentExperiment.ParentRow, "averaging", SentimentExperiment.ParentControl(options.ChildEpochs)];
        md.AppendLine("Paired test-accuracy differences to the one-parent references (mean [95 % CI] (wins)):");
        md.AppendLine();
        md.AppendLine("| method | " + string.Join(" | ", references.Select(r => $"minus {r}")) + " |");
        md.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---|", references.Length)));
        foreach (var method in rows.Select(r => r.Method).Distinct())
        {
            md.AppendLine("| " + method + " | " + string.Join(" | ", references.Select(r => r == method
                ? "-"
                : Difference(PairedDifference.Of(Values(rows, method, "accuracy"), Values(rows, r, "accuracy"))))) + " |");
        }

        md.AppendLine();
        md.AppendLine("| retraining comparison | Δ accuracy [95 % CI] (wins) | Δ AUC [95 % CI] (wins) |");
        md.AppendLine("|---|---|---|");
        foreach (var (method, reference) in new[]
        {
            ("1 retraining epoch from CKI soft (exp-softmax)", "control: 1 more epoch of the best input"),
            (SentimentExperiment.RetrainAveraging, "control: 1 more epoch of the best input"),
            ("1 retraining epoch from CKI soft (exp-softmax)", SentimentExperiment.RetrainAveraging),
        })
        {
            md.AppendLine($"| {method} - {reference} | " + string.Join(" | ", Metrics.Select(m =>
                Difference(PairedDifference.Of(Values(rows, method, m), Values(rows, reference, m))))) + " |");
        }

        md.AppendLine();
    }

    /// <summary>The column of the seeds setting with its domains pooled.</summary>
    public const string PooledSeeds = "seeds pooled over domains";

    private static List<double> Values(List<ExperimentRun> rows, string method, string metric) =>
        rows.Where(r => r.Method == method).OrderBy(r => r.Seed).Select(r => r.Test[metric]).ToList();

    private static string MeanSpread(List<double> values)
    {
        var mean = values.Average();
        var sd = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return string.Create(C, $"{mean:F4} ± {sd:F4}");
    }

    private static string Difference(PairedDifference d) =>
        double.IsNaN(d.Low)
            ? string.Create(C, $"{d.Mean:+0.0000;-0.0000;0.0000} ({d.Wins}/{d.Seeds})")
            : string.Create(C, $"{d.Mean:+0.0000;-0.0000;0.0000} [{d.Low:+0.0000;-0.0000;0.0000}, {d.High:+0.0000;-0.0000;0.0000}] ({d.Wins}/{d.Seeds}){(d.Above ? " above" : d.Below ? " below" : string.Empty)}");
}
