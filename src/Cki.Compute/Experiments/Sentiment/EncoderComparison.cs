using System.Globalization;
using System.Text;
using Cki.Compute.Evaluation;
using Cki.Compute.Tasks;
using Cki.Compute.Tasks.Sentiment;
using static TorchSharp.torch;

namespace Cki.Compute.Experiments.Sentiment;

/// <summary>
/// Judges whole encoders (the inputs and their merges) by what a head learns from their features: for each encoder,
/// its cached features, then the same head recipe (all three domains' training sentences, Adam, best validation
/// epoch) from several seeds, and the test accuracy and AUC of each head on each domain and on all three.
/// </summary>
public static class EncoderComparison
{
    private static readonly string[] JudgedMetrics = ["accuracy", "AUC"];

    /// <summary>Per encoder and judged column, the test accuracy and AUC of each seed's head.</summary>
    public static IReadOnlyList<ExperimentRun> Run(SentimentData data, IReadOnlyList<string> encoderFolders, string cacheFolder, int seeds,
        SentimentExperimentOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(encoderFolders);
        ArgumentNullException.ThrowIfNull(options);
        var runs = new List<ExperimentRun>();
        foreach (var folder in encoderFolders)
        {
            var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
            using var features = SentimentFeatures.LoadOrCompute(data, folder, cacheFolder, log);
            using var all = new SentimentTask(features);
            var judged = SentimentData.Domains.Select(d => (d, new SentimentTask(features, d))).Append((SentimentExperiment.AllDomains, all)).ToList();
            for (var seed = 0; seed < seeds; seed++)
            {
                var head = all.TrainHead(seed, options.HeadEpochs, options.HeadLearningRate);
                foreach (var (column, task) in judged)
                {
                    using var scope = NewDisposeScope();
                    var (logits, labels) = TaskEvaluation.Logits(task, [head], TaskSplit.Test);
                    runs.Add(new ExperimentRun(column, Protocols.Honest, name, seed,
                        new Dictionary<string, double>(StringComparer.Ordinal) { ["accuracy"] = Metrics.Accuracy(logits, labels), ["AUC"] = Metrics.Auc(logits, labels) }));
                }

                foreach (var t in head.Values)
                {
                    t.Dispose();
                }
            }

            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"{name}: test accuracy on all {runs.Where(r => r.Method == name && r.Setting == SentimentExperiment.AllDomains).Average(r => r.Test["accuracy"]):F4}"));
            foreach (var (column, task) in judged.Where(j => !ReferenceEquals(j.Item2, all)))
            {
                task.Dispose();
            }
        }

        return runs;
    }

    /// <summary>A Markdown table: one row per encoder, accuracy and AUC (mean ± spread over seeds) per judged column.</summary>
    public static string Table(IReadOnlyList<ExperimentRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var columns = runs.Select(r => r.Setting).Distinct().ToList();
        var md = new StringBuilder();
        md.AppendLine("| encoder | " + string.Join(" | ", columns.Select(c => $"{c}: accuracy | {c}: AUC")) + " |");
        md.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---|---|", columns.Count)));
        foreach (var encoder in runs.Select(r => r.Method).Distinct())
        {
            var cells = columns.SelectMany(c => JudgedMetrics.Select(m =>
            {
                var values = runs.Where(r => r.Method == encoder && r.Setting == c).Select(r => r.Test[m]).ToList();
                var mean = values.Average();
                var sd = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
                return string.Create(CultureInfo.InvariantCulture, $"{mean:F4} ± {sd:F4}");
            }));
            md.AppendLine($"| {encoder} | " + string.Join(" | ", cells) + " |");
        }

        return md.ToString();
    }
}
