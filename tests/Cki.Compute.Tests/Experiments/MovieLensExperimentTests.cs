using Cki.Compute.Data.MovieLens;
using Cki.Compute.Experiments;
using Cki.Testing;

namespace Cki.Compute.Tests.Experiments;

public sealed class MovieLensExperimentTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Run_TinyConfiguration_ReportsEveryRowOfBothSettingsOnTheTestSplit()
    {
        var data = MovieLensFetcher.Fetch(_scratch.File("cache"), force: false);
        var options = new ExperimentOptions { Seeds = 1, InputEpochs = 1, AssessmentEpochs = 1, LearningRates = [1e-2] };
        var (runs, figures) = MovieLensExperiment.Run(data, options);
        string[] methods =
        [
            "model A", "model B", "output ensemble (2x cost)", "averaging", "pruning (reference)", "pruning (magnitude)", "CKI global-only",
            "CKI soft", "CKI hard", "1 retraining epoch from CKI", "1 more epoch of A", "CKI local-only",
        ];
        foreach (var setting in new[] { "same data", "shift" })
        {
            Assert.Equal(methods, runs.Where(r => r.Setting == setting).Select(r => r.Method));
        }

        Assert.All(runs, r =>
        {
            Assert.Equal(RecommendationMetrics.Names.Order(), r.Test.Keys.Order());
            Assert.InRange(r.Test["AUC"], 0.3, 1.0);
            Assert.InRange(r.Test["HR@20"], r.Test["HR@5"], 1.0);
        });
        Assert.True(figures.SecondsPerInputEpoch > 0);

        var markdown = ExperimentReport.Write(_scratch.File("out"), runs, figures, options);
        Assert.Contains("| CKI soft |", markdown, StringComparison.Ordinal);
        Assert.True(File.Exists(_scratch.File("out/results.json")));
        foreach (var png in new[] { "auc-same-data.png", "auc-shift.png", "ndcg-10-same-data.png" })
        {
            var bytes = File.ReadAllBytes(_scratch.File($"out/{png}"));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
            Assert.Contains($"({png})", markdown, StringComparison.Ordinal);
        }

        File.Copy(_scratch.File("out/auc-same-data.png"), Path.Combine(Path.GetTempPath(), "cki-last-experiment-auc.png"), overwrite: true);
    }
}
