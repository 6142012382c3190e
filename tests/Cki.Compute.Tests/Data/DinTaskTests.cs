using Cki.Compute.Data.MovieLens;
using Cki.Compute.Tasks;
using Cki.Compute.Tasks.Din;
using Cki.Testing;

namespace Cki.Compute.Tests.Data;

/// <summary>DIN on the real MovieLens data from the Debian package (fetched once per test class).</summary>
public sealed class DinTaskTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Train_TwoEpochsOnMovieLens_LearnsAboveChanceOnValidation()
    {
        var data = CtrDataset.Build(MovieLensFetcher.Fetch(_scratch.File("cache"), force: false));
        Assert.True(data.Train.Count > 50_000, $"{data.Train.Count} training samples");
        using var task = new DinTask(data);
        var start = TaskTrainer.Initialize(task.Layout, seed: 0, DinTask.Embeddings);
        var before = TaskEvaluation.Evaluate(task, start, TaskSplit.Validation);
        var trained = TaskTrainer.Train(task, start, epochs: 2, learningRate: 1e-3, batchSize: task.BatchSize, shuffleSeed: 0);
        var after = TaskEvaluation.Evaluate(task, trained, TaskSplit.Validation);
        Assert.InRange(before, 0.3, 0.7);
        Assert.True(after > 0.65 && after > before + 0.05, $"validation AUC {before:F4} -> {after:F4}");
        foreach (var spec in task.Layout)
        {
            Assert.Equal(spec.Shape, trained[spec.Name].shape);
        }
    }
}
