using Cki.Compute.Data.MovieLens;
using Cki.Compute.Experiments;
using Cki.Testing;

namespace Cki.Compute.Tests.Experiments;

public sealed class MovieLensExperimentTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    [Trait("Category", "Slow")] // a whole experiment run: half a minute
    public void Run_SmallConfiguration_ReportsEveryProtocolWithControlsAndPairedDifferences()
    {
        var data = MovieLensFetcher.Fetch(_scratch.File("cache"), force: false);
        // 40 users keep the run to seconds; two seed pairs give intervals.
        var options = new ExperimentOptions { Seeds = 2, InputEpochs = 2, AssessmentEpochs = 2, LearningRates = [1e-2], MaxUsers = 40 };
        var (runs, figures) = MovieLensExperiment.Run(data, options);

        string[] inputs = ["model A", "model B", "best input", "output ensemble (2x cost)", "averaging"];
        string[] controls = ["control: A, all parameters", "control: A's trunk, head frozen", "control: averaging, then trunk"];
        string[] honest =
        [
            .. inputs, "pruning (reference)", "pruning (magnitude)", "CKI global-only", "CKI soft", "CKI hard", "1 retraining epoch from CKI soft",
            "CKI local-only", "control: 1 more epoch of A", .. controls,
        ];
        string[] paper = [.. inputs, "CKI soft + trunk training (head biases A's)", .. controls];
        foreach (var setting in new[] { MovieLensExperiment.SameData, MovieLensExperiment.Shift })
        {
            foreach (var seed in new[] { 0, 1 })
            {
                List<ExperimentRun> Section(string protocol) => runs.Where(r => r.Setting == setting && r.Protocol == protocol && r.Seed == seed).ToList();
                Assert.Equal(honest, Section(Protocols.Honest).Select(r => r.Method));
                Assert.Equal(paper, Section(Protocols.PaperValidation).Select(r => r.Method));
                Assert.Equal(paper, Section(Protocols.PaperTest).Select(r => r.Method));

                // Controls train exactly as many epochs as CKI kept (validation-selected sections).
                var ckiEpoch = Section(Protocols.Honest).Single(r => r.Method == "CKI soft").Epoch;
                Assert.All(Section(Protocols.Honest).Where(r => controls.Contains(r.Method)), r => Assert.Equal(ckiEpoch, r.Epoch));
                var paperEpoch = Section(Protocols.PaperValidation).Single(r => r.Method.StartsWith("CKI", StringComparison.Ordinal)).Epoch;
                Assert.All(Section(Protocols.PaperValidation).Where(r => controls.Contains(r.Method)), r => Assert.Equal(paperEpoch, r.Epoch));

                // Test selection can only raise an input's test AUC over the validation-selected epoch of the same training run.
                foreach (var input in new[] { "model A", "model B" })
                {
                    double Auc(string protocol) => Section(protocol).Single(r => r.Method == input).Test["AUC"];
                    Assert.True(Auc(Protocols.PaperTest) >= Auc(Protocols.Honest), $"{setting} {seed} {input}");
                }

                var best = Section(Protocols.Honest).Single(r => r.Method == "best input").Test["AUC"];
                Assert.Contains(best, Section(Protocols.Honest).Where(r => r.Method is "model A" or "model B").Select(r => r.Test["AUC"]));
            }
        }

        Assert.All(runs, r =>
        {
            Assert.Equal(RecommendationMetrics.Names.Order(), r.Test.Keys.Order());
            Assert.InRange(r.Test["AUC"], 0.2, 1.0);
            Assert.InRange(r.Test["HR@20"], r.Test["HR@5"], 1.0);
        });
        Assert.Equal(1.0, figures.Coverage["test"].UserSeen);

        // The report's paired difference equals the one computed here from the rows.
        var sameHonest = runs.Where(r => r.Setting == MovieLensExperiment.SameData && r.Protocol == Protocols.Honest).ToList();
        var d = new[] { 0, 1 }.Select(s => sameHonest.Single(r => r.Seed == s && r.Method == "model B").Test["AUC"] - sameHonest.Single(r => r.Seed == s && r.Method == "model A").Test["AUC"]).ToList();
        Assert.Equal(d.Average(), ExperimentReport.Difference(sameHonest, "model B", "model A").Mean, 12);

        var markdown = ExperimentReport.Write(_scratch.File("out"), runs, figures, options);
        Assert.Contains("### Paper protocol (optimistic: selected on test, as the authors' code)", markdown, StringComparison.Ordinal);
        Assert.Contains("CKI soft + trunk training (head biases A's) ", markdown, StringComparison.Ordinal);
        Assert.Contains("against the compute-matched controls it", markdown, StringComparison.Ordinal);
        Assert.True(File.Exists(_scratch.File("out/results.json")));
        foreach (var png in new[] { "auc-same-data.png", "forest-same-data-honest.png", "forest-shift-paper-test-optimistic.png", "forest-shift-paper-validation.png" })
        {
            var bytes = File.ReadAllBytes(_scratch.File($"out/{png}"));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
            Assert.Contains($"({png})", markdown, StringComparison.Ordinal);
        }

        File.Copy(_scratch.File("out/forest-same-data-honest.png"), Path.Combine(Path.GetTempPath(), "cki-last-experiment-forest.png"), overwrite: true);
    }

    [Fact]
    public void Run_LinearForm_AddsTheLinearRowsToTheHonestProtocolOnly()
    {
        var data = MovieLensFetcher.Fetch(_scratch.File("cache"), force: false);
        var options = ExperimentOptions.Quick with { MaxUsers = 40, LinearForm = true };
        var (runs, _) = MovieLensExperiment.Run(data, options);

        var honest = runs.Where(r => r.Protocol == Protocols.Honest).Select(r => r.Method).ToList();
        Assert.Single(honest, "CKI soft (linear)");
        Assert.Single(honest, "CKI hard (linear)");
        Assert.DoesNotContain(runs, r => r.Protocol != Protocols.Honest && r.Method.Contains("linear", StringComparison.Ordinal));
    }
}
