using System.Globalization;
using System.Text;
using System.Text.Json;
using M = Cki.Compute.Experiments.OneParent.OneParentMethods;

namespace Cki.Compute.Experiments.OneParent;

/// <summary>
/// Writes the one-parent experiment's results: per split a table of test metrics (mean ± standard deviation over seeds),
/// the paired test-AUC differences (95 % t-intervals, wins) to the best child, the parent, head averaging and the
/// compute-matched control, the retraining rows against their controls, plain sentences, a forest plot, and the raw
/// rows as JSON.
/// </summary>
public static class OneParentReport
{
    /// <summary>The independent PyTorch DIN-style reference the issue quotes (not run by this code).</summary>
    public const string PyTorchReference = "0.760 ± 0.004 (test AUC, 5 seeds, same per-user split; the figure quoted in issue 22, not rerun here)";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Writes <c>results.md</c>, <c>results.json</c> and the forest plots into <paramref name="folder"/>; returns the Markdown.</summary>
    public static string Write(string folder, IReadOnlyList<ExperimentRun> runs, ExperimentFigures figures, OneParentOptions options)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(folder);
        var md = new StringBuilder();
        var seeds = runs.Select(r => r.Seed).Distinct().Count();
        md.AppendLine(C, $"# MovieLens (ml-latest-small), DIN ({options.Features}): children of one parent");
        md.AppendLine();
        md.AppendLine($"Split: {options.Split}. Share of samples whose user / whose movie occur in the training samples: " +
            string.Join("; ", figures.Coverage.Select(c => string.Create(C, $"{c.Key} {c.Value.UserSeen:P1} / {c.Value.ItemSeen:P1} ({c.Value.Samples} samples)"))) +
            ". No validation or test sample is a training sample; nothing below was selected on the test split.");
        md.AppendLine();
        md.AppendLine(string.Create(C, $"{seeds} seed(s). History: the last {options.HistoryLength} positively rated movies. Parent initialisation: {(options.PyTorchInit ? "PyTorch's module defaults" : "the project's")}. Per seed: a parent DIN trained on all training samples for up to {options.ParentEpochs} epoch(s) (Adam 1e-3, batch {options.BatchSize}), ") +
            string.Create(C, $"its epoch kept on validation; K children fine-tuned from the parent's weights for exactly {options.ChildEpochs} epoch(s) each on disjoint parts of the training samples ") +
            "(together exactly the parent's training samples). Integrations of the children: CKI (P only, trained on all training samples, " +
            string.Create(C, $"up to {options.AssessmentEpochs} epoch(s), learning rates {string.Join(", ", options.LearningRates.Select(r => r.ToString(C)))}, epoch and rate chosen on validation) ") +
            "splices the head's three weight matrices (head biases and trunk from child 1); the data-free methods run on the head and on all tensors; " +
            "task arithmetic and TIES (density 0.2) use the parent as base, their lambda chosen on validation from {1/K, 0.5, 1} (with lambda = 1/K task arithmetic equals averaging). " +
            "Controls: the parent trained N and N + 1 more epochs on all training samples (N = the children's epochs: compute-matched with the children); " +
            "one more epoch of the best child (chosen on validation) on all training samples, against which the two one-epoch retrainings (from CKI soft, from head averaging) are set.");
        md.AppendLine();
        var parents = runs.Where(r => r.Method == M.Parent).GroupBy(r => r.Seed).Select(g => g.First()).ToList();
        if (parents.Count > 0)
        {
            var auc = parents.Select(r => r.Test["AUC"]).ToList();
            md.AppendLine(string.Create(C, $"Parent (our base model): test AUC {MethodTable.Spread(auc)}, validation AUC {MethodTable.Spread(parents.Select(r => r.ValidationAuc ?? double.NaN).ToList())} over {parents.Count} seed(s), kept epochs {string.Join(" ", parents.Select(r => r.Epoch))}; ") +
                $"independent PyTorch DIN-style reference: {PyTorchReference}.");
            md.AppendLine();
        }

        foreach (var setting in runs.Select(r => r.Setting).Distinct().Where(s => s != OneParentRunner.ParentProbe))
        {
            WriteSection(md, folder, runs.Where(r => r.Setting == setting).ToList(), setting);
        }

        md.AppendLine(string.Create(C, $"Run: {figures.TotalSeconds / 60:F1} min ({string.Join(", ", figures.SecondsByPart.Select(p => string.Create(C, $"{p.Key} {p.Value / 60:F1} min")))}); " +
            $"{figures.SecondsPerInputEpoch:F1} s per parent epoch (with its validation and test pass); peak resident memory {figures.PeakResidentBytes / 1e6:F0} MB."));
        var markdown = md.ToString();
        File.WriteAllText(Path.Combine(folder, "results.md"), markdown);
        File.WriteAllBytes(Path.Combine(folder, "results.json"), JsonSerializer.SerializeToUtf8Bytes(new { options, figures, runs }, Json));
        return markdown;
    }

    /// <summary>The paired comparisons the report prints under "retraining" (method, reference).</summary>
    public static IReadOnlyList<(string Method, string Reference)> RetrainingPairs(int childEpochs) =>
    [
        (M.RetrainCki, M.MoreBestChild),
        (M.RetrainAveraging, M.MoreBestChild),
        (M.RetrainCki, M.RetrainAveraging),
        (M.RetrainCki, M.ParentControl(childEpochs + 1)),
        (M.RetrainAveraging, M.ParentControl(childEpochs + 1)),
    ];

    private static void WriteSection(StringBuilder md, string folder, List<ExperimentRun> section, string setting)
    {
        var methods = MethodTable.Append(md, $"## {char.ToUpperInvariant(setting[0])}{setting[1..]}", section);
        md.AppendLine();
        var choices = methods.Where(m => section.Any(r => r.Method == m && r.Choice is not null)).ToList();
        if (choices.Count > 0)
        {
            md.AppendLine("Chosen on validation, per seed: " + string.Join("; ", choices.Select(m => $"{m}: {string.Join(", ", section.Where(r => r.Method == m).Select(r => r.Choice))}")) + ".");
            md.AppendLine();
        }

        var childEpochs = section.Where(r => r.Method == M.BestChild).Select(r => r.Epoch ?? 1).FirstOrDefault(1);
        var control = M.ParentControl(childEpochs);
        string[] references = [M.BestChild, M.Parent, M.Averaging, control];
        md.AppendLine("Paired test-AUC differences over seeds (mean [95 % t-interval], seeds won):");
        md.AppendLine();
        md.AppendLine("| method | " + string.Join(" | ", references.Select(r => $"minus {r}")) + " |");
        md.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---|", references.Length)));
        var forest = new List<(string, PairedDifference)>();
        foreach (var method in methods.Where(m => m != M.BestChild))
        {
            forest.Add((method, ExperimentReport.Difference(section, method, M.BestChild)));
            md.AppendLine(C, $"| {method} | {string.Join(" | ", references.Select(r => r == method ? "-" : ExperimentReport.Format(ExperimentReport.Difference(section, method, r))))} |");
        }

        md.AppendLine();
        md.AppendLine("Retraining rows against their controls (paired test-AUC differences):");
        md.AppendLine();
        md.AppendLine("| comparison | difference |");
        md.AppendLine("|---|---|");
        foreach (var (method, reference) in RetrainingPairs(childEpochs).Where(p => methods.Contains(p.Method) && methods.Contains(p.Reference)))
        {
            md.AppendLine(C, $"| {method} - {reference} | {ExperimentReport.Format(ExperimentReport.Difference(section, method, reference))} |");
        }

        md.AppendLine();
        md.AppendLine(Verdict(section, control));
        md.AppendLine();
        var plot = ExperimentPlots.WriteForest(folder, setting, OneParentExperiment.Protocol, forest, reference: "the best child's");
        md.AppendLine($"![{Path.GetFileNameWithoutExtension(plot)}]({Path.GetFileName(plot)})");
        md.AppendLine();
    }

    /// <summary>Plain sentences: CKI soft and the best data-free merges against the best child, averaging and the compute-matched control.</summary>
    public static string Verdict(IReadOnlyList<ExperimentRun> section, string control)
    {
        ArgumentNullException.ThrowIfNull(section);
        string Word(PairedDifference d) => d.Seeds < 2 ? "differs (one seed: no interval) from" : d.Above ? "beats" : d.Below ? "is worse than" : "is not distinguishable from";
        string Part(string method, string reference)
        {
            var d = ExperimentReport.Difference(section, method, reference);
            return $"{Word(d)} {reference} ({ExperimentReport.Format(d)})";
        }

        var present = section.Select(r => r.Method).ToHashSet(StringComparer.Ordinal);
        var sentences = new List<string>();
        foreach (var method in new[] { M.CkiSoft, M.AveragingAll, M.TaskArithmeticAll, M.TiesAll }.Where(present.Contains))
        {
            var references = new[] { M.BestChild, M.Averaging, control }.Where(r => r != method && present.Contains(r));
            sentences.Add($"{method} {string.Join("; ", references.Select(r => Part(method, r)))}.");
        }

        return string.Join(" ", sentences);
    }
}
