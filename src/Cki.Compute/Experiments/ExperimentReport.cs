using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cki.Compute.Experiments;

/// <summary>
/// Writes the experiment's results: per setting and protocol a Markdown table of test metrics (mean ± spread over
/// seeds), the paired test-AUC differences to model A and to the best input with 95 % t-intervals, one plain sentence
/// on CKI, the plots, and the raw runs as JSON.
/// </summary>
public static class ExperimentReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The CKI row each protocol's sentence is about.</summary>
    public static string CkiMethodOf(string protocol) => protocol == Protocols.Honest ? "CKI soft" : "CKI soft + trunk training (head biases A's)";

    /// <summary>Writes <c>results.md</c> and <c>results.json</c> into <paramref name="folder"/>; returns the Markdown.</summary>
    public static string Write(string folder, IReadOnlyList<ExperimentRun> runs, ExperimentFigures figures, ExperimentOptions options)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(folder);
        var md = new StringBuilder();
        md.AppendLine(C, $"# MovieLens (ml-latest-small), DIN ({options.Features}), CKI on the head");
        md.AppendLine();
        md.AppendLine($"Split: {options.Split}. Share of samples whose user / whose movie occur in the training samples: " +
            string.Join("; ", figures.Coverage.Select(c => string.Create(C, $"{c.Key} {c.Value.UserSeen:P1} / {c.Value.ItemSeen:P1} ({c.Value.Samples} samples)"))) + ".");
        md.AppendLine();
        if (runs.Count > 0 && runs.All(r => r.Setting == MovieLensExperiment.SharedTrunk))
        {
            md.AppendLine(string.Create(C, $"{options.Seeds} seed pair(s). Input models: {options.InputEpochs} epochs, kept epoch picked on validation. ") +
                string.Create(C, $"Integrations and the control: up to {options.AssessmentEpochs} epochs; CKI trains P only at learning rates {string.Join(", ", options.LearningRates.Select(r => r.ToString(C)))}, chosen on validation. ") +
                "Every number below is on the test split; nothing was selected on it.");
        }
        else
        {
            md.AppendLine(string.Create(C, $"{options.Seeds} seed pair(s). Input models: {options.InputEpochs} epochs, kept epoch picked per protocol. Integrations and controls: ") +
                string.Create(C, $"up to {options.AssessmentEpochs} epochs; the honest CKI sweeps learning rates {string.Join(", ", options.LearningRates.Select(r => r.ToString(C)))} (P only); " +
                $"the paper protocol trains P and the trunk at {options.PaperLearningRate.ToString(C)} with the head's biases frozen at A's. ") +
                "Controls train A (all parameters; or the trunk under A's frozen head; or the trunk under the averaged, frozen head) at 1e-3 without B or P, " +
                "for exactly as many epochs as CKI kept, except in the test-selected section, where each keeps its best test epoch like everything there. " +
                "Every number below is on the test split; only the section marked optimistic selected anything on it.");
        }

        md.AppendLine();
        foreach (var setting in runs.Select(r => r.Setting).Distinct())
        {
            md.AppendLine(setting switch
            {
                MovieLensExperiment.Shift => "## Shift: A trained on the early half of the training samples (by time), B on the late half",
                MovieLensExperiment.SharedTrunk => "## Shared trunk: B is a second head from another seed, trained on A's frozen trunk (the authors' language setting)",
                _ => "## Same data: A and B differ by seed (the paper's setting)",
            });
            if (setting == MovieLensExperiment.SharedTrunk)
            {
                md.AppendLine();
                md.AppendLine("Both heads read bit-identical features (the run checks it), so splicing needs no trunk training; honest protocol only, " +
                    "and the compute-matched control trains A's head (trunk frozen) as many epochs as CKI kept.");
            }
            md.AppendLine();
            foreach (var protocol in Protocols.All.Where(p => runs.Any(r => r.Setting == setting && r.Protocol == p)))
            {
                WriteSection(md, folder, runs.Where(r => r.Setting == setting && r.Protocol == protocol).ToList(), setting, protocol);
            }
        }

        md.AppendLine("## Bar charts (honest protocol)");
        md.AppendLine();
        foreach (var plot in ExperimentPlots.Write(folder, runs))
        {
            md.AppendLine($"![{Path.GetFileNameWithoutExtension(plot)}]({Path.GetFileName(plot)})");
        }

        md.AppendLine();
        md.AppendLine(string.Create(C, $"Run: {figures.TotalSeconds / 60:F1} min ({string.Join(", ", figures.SecondsByPart.Select(p => string.Create(C, $"{p.Key} {p.Value / 60:F1} min")))}); " +
            $"{figures.SecondsPerInputEpoch:F1} s per input-model epoch (with its validation and test pass); peak resident memory {figures.PeakResidentBytes / 1e6:F0} MB."));
        var markdown = md.ToString();
        File.WriteAllText(Path.Combine(folder, "results.md"), markdown);
        File.WriteAllBytes(Path.Combine(folder, "results.json"), JsonSerializer.SerializeToUtf8Bytes(new { options, figures, runs }, Json));
        return markdown;
    }

    /// <summary>The paired test-AUC difference of <paramref name="method"/> to <paramref name="reference"/> over the seeds of one section.</summary>
    public static PairedDifference Difference(IReadOnlyList<ExperimentRun> section, string method, string reference)
    {
        ArgumentNullException.ThrowIfNull(section);
        var seeds = section.Where(r => r.Method == method).Select(r => r.Seed).Order().ToList();
        double Auc(string m, int seed) => section.Single(r => r.Method == m && r.Seed == seed).Test["AUC"];
        return PairedDifference.Of(seeds.Select(s => Auc(method, s)).ToList(), seeds.Select(s => Auc(reference, s)).ToList());
    }

    /// <summary>One plain sentence: whether CKI beats the best input and averaging, and the compute-matched controls.</summary>
    public static string Verdict(IReadOnlyList<ExperimentRun> section, string protocol)
    {
        ArgumentNullException.ThrowIfNull(section);
        var cki = CkiMethodOf(protocol);
        if (!section.Any(r => r.Method == cki))
        {
            return string.Empty;
        }

        string Part(string reference)
        {
            var d = Difference(section, cki, reference);
            var word = d.Seeds < 2 ? "differs (one seed pair: no interval) from" : d.Above ? "beats" : d.Below ? "is worse than" : "is not distinguishable from";
            return string.Create(C, $"{word} {reference} ({Format(d)})");
        }

        var controls = section.Select(r => r.Method).Distinct().Where(m => m.StartsWith("control:", StringComparison.Ordinal) && m != "control: 1 more epoch of A");
        return $"{cki} {Part("best input")} and {Part("averaging")} at 1x cost; against the compute-matched controls it " +
            string.Join("; ", controls.Select(Part)) + ".";
    }

    private static void WriteSection(StringBuilder md, string folder, List<ExperimentRun> section, string setting, string protocol)
    {
        var methods = MethodTable.Append(md, $"### {char.ToUpperInvariant(protocol[0])}{protocol[1..]}", section);
        md.AppendLine();
        var validation = section.Where(r => r.ValidationAuc is not null).Select(r => r.ValidationAuc!.Value).ToList();
        if (validation.Count > 0)
        {
            md.AppendLine(string.Create(C, $"Input models' validation AUC at their kept epoch: mean {validation.Average():F4} over {validation.Count} models (A and B)."));
            md.AppendLine();
        }

        md.AppendLine("Paired test-AUC differences over seed pairs (mean [95 % t-interval], seeds won):");
        md.AppendLine();
        md.AppendLine("| method | minus model A | minus best input |");
        md.AppendLine("|---|---|---|");
        var forest = new List<(string, PairedDifference)>();
        foreach (var method in methods.Where(m => m is not "model A" and not "best input"))
        {
            var best = Difference(section, method, "best input");
            forest.Add((method, best));
            md.AppendLine(C, $"| {method} | {Format(Difference(section, method, "model A"))} | {Format(best)} |");
        }

        md.AppendLine();
        var verdict = Verdict(section, protocol);
        if (verdict.Length > 0)
        {
            md.AppendLine(verdict);
            md.AppendLine();
        }

        var plot = ExperimentPlots.WriteForest(folder, setting, protocol, forest);
        md.AppendLine($"![{Path.GetFileNameWithoutExtension(plot)}]({Path.GetFileName(plot)})");
        md.AppendLine();
    }

    /// <summary>"mean [low, high], wins/seeds won", signed to four decimals.</summary>
    internal static string Format(PairedDifference d) => double.IsNaN(d.Low)
        ? $"{Signed(d.Mean)}, {d.Wins}/{d.Seeds} won"
        : $"{Signed(d.Mean)} [{Signed(d.Low)}, {Signed(d.High)}], {d.Wins}/{d.Seeds} won";

    // Rounded first, so a value just below zero prints as "-0.0000" and an exact zero as "+0.0000".
    private static string Signed(double value) => value < 0
        ? "-" + Math.Abs(value).ToString("0.0000", C)
        : "+" + value.ToString("0.0000", C);
}
