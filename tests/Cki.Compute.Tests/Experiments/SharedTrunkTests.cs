using Cki.Compute.Data.MovieLens;
using Cki.Compute.Experiments;
using Cki.Compute.Tasks;
using Cki.Compute.Tasks.Din;
using Cki.Testing;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Experiments;

public sealed class SharedTrunkTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void SecondHead_TrainedOnAsTrunk_KeepsTheTrunkBitIdenticalAndChangesTheHead()
    {
        var data = Small(MovieLensFetcher.Fetch(_scratch.File("cache"), force: false));
        using var task = new DinTask(CtrDataset.Build(data, new CtrOptions()));
        var startA = TaskTrainer.Initialize(task.Layout, 0, DinTask.Embeddings);
        var a = TaskTrainer.Train(task, startA, 1, 1e-3, task.BatchSize, 0);
        var startB = SharedTrunk.StartOfSecondHead(task, a, 1);
        var b = TaskTrainer.Train(task, startB, 1, 1e-3, task.BatchSize, 1, frozen: SharedTrunk.Trunk(task));

        // The trunk is every tensor outside the head, and it includes the embeddings.
        Assert.Contains("item.embedding", SharedTrunk.Trunk(task));
        Assert.DoesNotContain(task.HeadTensors[0], SharedTrunk.Trunk(task));
        Assert.DoesNotContain(task.HeadBiases[0], SharedTrunk.Trunk(task));
        foreach (var name in SharedTrunk.Trunk(task))
        {
            Assert.Equal(a[name].data<float>().ToArray(), b[name].data<float>().ToArray());
        }

        SharedTrunk.CheckTrunk(task, a, b);
        foreach (var name in task.HeadTensors.Concat(task.HeadBiases))
        {
            Assert.NotEqual(a[name].data<float>().ToArray(), b[name].data<float>().ToArray());
        }

        // The check must fail when a trunk tensor moves, even by one unit in the last place.
        var moved = new Dictionary<string, Tensor>(b, StringComparer.Ordinal) { ["item.embedding"] = b["item.embedding"].clone() };
        var values = moved["item.embedding"].data<float>();
        values[0, 0] = MathF.BitIncrement(values[0, 0]);
        Assert.Throws<InvalidOperationException>(() => SharedTrunk.CheckTrunk(task, a, moved));

        // Without freezing, training the trunk changes it, so the comparison above can fail.
        var unfrozen = TaskTrainer.Train(task, startB, 1, 1e-3, task.BatchSize, 1);
        Assert.Throws<InvalidOperationException>(() => SharedTrunk.CheckTrunk(task, a, unfrozen));
        foreach (var set in new[] { startA, a, startB, b, unfrozen })
        {
            foreach (var t in set.Values)
            {
                t.Dispose();
            }
        }

        moved["item.embedding"].Dispose();
    }

    [Fact]
    public void Run_SharedTrunkSetting_ReportsItsRowsWithPairedDifferencesAndAForestPlot()
    {
        var data = MovieLensFetcher.Fetch(_scratch.File("cache"), force: false);
        var options = new ExperimentOptions
        {
            Seeds = 2, InputEpochs = 2, AssessmentEpochs = 2, LearningRates = [1e-2], MaxUsers = 40, Settings = [MovieLensExperiment.SharedTrunk],
        };
        var (runs, figures) = MovieLensExperiment.Run(data, options);

        string[] expected =
        [
            "model A", "model B", "best input", "output ensemble (2x cost)", "averaging", "pruning (reference)", "pruning (magnitude)", "CKI global-only",
            "CKI soft", "CKI hard", "CKI local-only", "control: A's head, trunk frozen",
        ];
        Assert.All(runs, r => Assert.Equal(MovieLensExperiment.SharedTrunk, r.Setting));
        Assert.All(runs, r => Assert.Equal(Protocols.Honest, r.Protocol));
        foreach (var seed in new[] { 0, 1 })
        {
            var section = runs.Where(r => r.Seed == seed).ToList();
            Assert.Equal(expected, section.Select(r => r.Method));
            var ckiEpoch = section.Single(r => r.Method == "CKI soft").Epoch;
            Assert.Equal(ckiEpoch, section.Single(r => r.Method == "control: A's head, trunk frozen").Epoch);
        }

        var markdown = ExperimentReport.Write(_scratch.File("out"), runs, figures, options);
        Assert.Contains("## Shared trunk:", markdown, StringComparison.Ordinal);
        Assert.Contains("nothing was selected on it", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("paper protocol", markdown, StringComparison.Ordinal);
        Assert.Contains("| CKI hard |", markdown, StringComparison.Ordinal);
        Assert.Contains("against the compute-matched controls it", markdown, StringComparison.Ordinal);
        Assert.Contains("control: A's head, trunk frozen (", markdown, StringComparison.Ordinal);
        foreach (var png in new[] { "forest-shared-trunk-honest.png", "auc-shared-trunk.png" })
        {
            var bytes = File.ReadAllBytes(_scratch.File($"out/{png}"));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
            Assert.Contains($"({png})", markdown, StringComparison.Ordinal);
        }
    }

    private static MovieLensData Small(MovieLensData data)
    {
        var kept = data.Ratings.Select(r => r.UserId).Distinct().Order().Take(40).ToHashSet();
        return data with { Ratings = data.Ratings.Where(r => kept.Contains(r.UserId)).ToList() };
    }
}
