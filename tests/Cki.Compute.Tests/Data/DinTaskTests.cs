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

    [Theory]
    [InlineData(DinFeatures.ItemGenre, false, 64)]
    [InlineData(DinFeatures.UserItemGenre, true, 96)]
    public void Layout_FeaturesDecideTheUserEmbeddingAndTheHeadsInput(DinFeatures features, bool user, int headInput)
    {
        // Two users, three movies; per-user split puts user 1's first ratings in training.
        var data = CtrDataset.Build(new MovieLensData(
            [new MovieRating(1, 1, 5f, 1), new MovieRating(1, 2, 2f, 2), new MovieRating(1, 3, 4f, 3), new MovieRating(2, 1, 4f, 4)],
            new Dictionary<int, Movie> { [1] = new(1, "a", ["Drama"]), [2] = new(2, "b", ["Comedy"]), [3] = new(3, "c", []) }));
        using var task = new DinTask(data, features: features);
        Assert.Equal(user, task.Layout.Any(s => s.Name == "user.embedding"));
        Assert.Equal([128L, headInput], task.Layout.Single(s => s.Name == "head.0.weight").Shape);
        var parameters = TaskTrainer.Initialize(task.Layout, seed: 0, DinTask.Embeddings);
        var (logits, labels) = TaskEvaluation.Logits(task, [parameters], TaskSplit.Train);
        Assert.Equal(labels.shape, logits.shape);
        Assert.True(logits.isfinite().all().item<bool>());
    }
}
