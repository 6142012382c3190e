using Cki.Compute.Data.Language;
using Cki.Compute.Experiments.Sentiment;
using Cki.Compute.Tasks;
using Cki.Compute.Tasks.Registry;
using Cki.Compute.Tasks.Sentiment;
using Cki.Testing;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Language;

/// <summary>
/// The sentiment task and experiment on real data fetched as users fetch it, cut to 6 sentences per domain and split
/// (54 sentences) so the encoder's pass stays a few seconds; fetched once for the class.
/// </summary>
public sealed class SentimentTaskTests(SentimentTaskTests.Fixture fixture) : IClassFixture<SentimentTaskTests.Fixture>
{
    private readonly ScratchFolder _scratch = fixture.Scratch;

    [Fact]
    public void LoadOrCompute_SecondTime_ReadsTheCacheWithTheSameVectors()
    {
        var (data, encoder) = Fetch();
        using var first = SentimentFeatures.LoadOrCompute(data, encoder, _scratch.Path);
        var messages = new List<string>();
        using var second = SentimentFeatures.LoadOrCompute(data, encoder, _scratch.Path, messages.Add);
        Assert.Contains(messages, m => m.StartsWith("features from", StringComparison.Ordinal));
        Assert.Equal([18L, 384L], second[TaskSplit.Test].X.shape);
        Assert.True(first[TaskSplit.Train].X.allclose(second[TaskSplit.Train].X, rtol: 0, atol: 0));
        // MiniLM's sentence vectors are L2-normalised.
        Assert.InRange(second[TaskSplit.Validation].X[0].norm().item<float>(), 0.9999f, 1.0001f);
    }

    [Fact]
    public void Logits_HandPickedHead_IsSumOfTanhOfFeatures()
    {
        var (data, encoder) = Fetch();
        using var features = SentimentFeatures.LoadOrCompute(data, encoder, _scratch.Path);
        using var task = new SentimentTask(features, "yelp");
        Assert.Equal(6, task.Count(TaskSplit.Test));
        var head = new Dictionary<string, Tensor>
        {
            ["classifier.dense.weight"] = eye(384), ["classifier.dense.bias"] = zeros(384),
            ["classifier.out_proj.weight"] = ones(1, 384), ["classifier.out_proj.bias"] = tensor(new[] { 0.5f }),
        };
        using var batch = task.Batches(TaskSplit.Test, 32, 0).Single();
        using var logits = task.Logits(head, batch);
        var x = batch.Inputs["x"].data<float>().ToArray();
        var expected = x.Take(384).Sum(v => Math.Tanh(v)) + 0.5;
        Assert.Equal(expected, logits[0].item<float>(), 4);
    }

    [Fact]
    [Trait("Category", "Slow")] // a whole experiment run: 20 s and more
    public void Run_Quick_GivesEveryMethodForEveryColumn()
    {
        var (data, encoder) = Fetch();
        using var features = SentimentFeatures.LoadOrCompute(data, encoder, _scratch.Path);
        var options = SentimentExperimentOptions.Quick with { SeedCount = 2, HeadEpochs = 2, AssessmentEpochs = 1 };
        var runs = SentimentExperiment.Run(features, options);
        var columns = runs.Select(r => r.Setting).Distinct().ToList();
        Assert.Equal(["seeds on amazon", "seeds on imdb", "seeds on yelp", "domains judged on amazon", "domains judged on imdb", "domains judged on yelp", "domains judged on all"], columns);
        var seeds = runs.Where(r => r.Setting == "seeds on imdb" && r.Seed == 0).ToList();
        Assert.Contains(seeds, r => r.Method == "CKI hard (linear)");
        Assert.DoesNotContain(runs, r => r.Setting.StartsWith("domains", StringComparison.Ordinal) && r.Method.Contains("linear", StringComparison.Ordinal));
        var best = seeds.Single(r => r.Method == SentimentExperiment.BestInput).Test["accuracy"];
        Assert.Contains(best, seeds.Where(r => r.Method.StartsWith("model", StringComparison.Ordinal)).Select(r => r.Test["accuracy"]));
        Assert.All(runs, r => Assert.InRange(r.Test["AUC"], 0, 1));
        var md = SentimentReport.Write(_scratch.File("report"), runs, options, "minilm", 1);
        Assert.Contains("| CKI soft (exp-softmax) |", md, StringComparison.Ordinal);
        Assert.True(File.Exists(_scratch.File("report/forest-domains-judged-on-all-accuracy.png")));
    }

    [Fact]
    public void TaskRegistry_SentimentOnAFeaturesFile_IsTheTaskAWorkflowJobRuns()
    {
        var (data, encoder) = Fetch();
        using (SentimentFeatures.LoadOrCompute(data, encoder, _scratch.Path))
        {
        }

        var folder = Directory.CreateDirectory(_scratch.File("job-data")).FullName;
        File.Copy(Path.Combine(_scratch.Path, "features-minilm.safetensors"), Path.Combine(folder, SentimentFeatures.FileName), overwrite: true);
        var task = (SentimentTask)TaskRegistry.Create("sentiment", folder);
        using (task)
        {
            Assert.Null(task.Domain);
            Assert.Equal(18, task.Count(TaskSplit.Test));
            Assert.Equal(["classifier.dense.weight", "classifier.out_proj.weight"], task.HeadTensors);
        }

        var error = Assert.Throws<FileNotFoundException>(() => TaskRegistry.Create("sentiment", _scratch.File("nowhere")));
        Assert.Contains("No sentiment features at", error.Message, StringComparison.Ordinal);
    }

    private (SentimentData Data, string Encoder) Fetch() => (fixture.Data, fixture.Encoder);

    [Fact]
    public void Run_OneParent_GivesTheParentItsChildrenTheParentMergesAndTheControls()
    {
        var (data, encoder) = Fetch();
        using var features = SentimentFeatures.LoadOrCompute(data, encoder, _scratch.Path);
        var options = SentimentExperimentOptions.Quick with { SeedCount = 2, HeadEpochs = 2, AssessmentEpochs = 1, ChildEpochs = 1, Settings = [SentimentExperimentOptions.OneParent] };
        var runs = SentimentExperiment.Run(features, options);

        Assert.Equal(["one parent judged on amazon", "one parent judged on imdb", "one parent judged on yelp", "one parent judged on all"], runs.Select(r => r.Setting).Distinct());
        var all = runs.Where(r => r.Setting == "one parent judged on all" && r.Seed == 1).Select(r => r.Method).ToList();
        string[] expected =
        [
            "child amazon", "child imdb", "child yelp", SentimentExperiment.ParentRow, "task arithmetic", "TIES", "task arithmetic (all tensors)", "TIES (all tensors)",
            "averaging", "CKI soft (exp-softmax)", "CKI local-only", "1 retraining epoch from CKI soft (exp-softmax)", "control: 1 more epoch of the best input",
            SentimentExperiment.RetrainAveraging, SentimentExperiment.ParentControl(1),
        ];
        Assert.All(expected, m => Assert.Contains(m, all));
        Assert.DoesNotContain(all, m => m.Contains("linear", StringComparison.Ordinal));
        var md = SentimentReport.Write(_scratch.File("one-parent"), runs, options, "minilm", 1);
        Assert.Contains($"| 1 retraining epoch from averaging - control: 1 more epoch of the best input | ", md, StringComparison.Ordinal);
    }

    /// <summary>The data and the MiniLM encoder, fetched as users fetch them, once for the class.</summary>
    public sealed class Fixture : IDisposable
    {
        public Fixture()
        {
            var all = SentimentFetcher.Fetch(Scratch.File("sentiment"), force: false);
            Data = new SentimentData(all.Sentences.GroupBy(s => (s.Domain, s.Split, s.Label)).SelectMany(g => g.Take(3)).ToList());
            Encoder = EncoderFetcher.Fetch(Scratch.File("encoders"), force: false)[0];
        }

        public ScratchFolder Scratch { get; } = new();

        public SentimentData Data { get; }

        public string Encoder { get; }

        public void Dispose() => Scratch.Dispose();
    }
}
