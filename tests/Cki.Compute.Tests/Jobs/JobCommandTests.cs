using System.Text;
using Azure.Storage.Blobs;
using Cki.Compute.Checkpoints;
using Cki.Compute.Demo;
using Cki.Compute.Tasks.Synthetic;
using Cki.Compute.Tasks;
using Cki.Compute.Tests.Cli;
using Cki.Contracts.Jobs;
using Cki.Contracts.Storage;
using Cki.Testing;
using Cki.Testing.Builders;

namespace Cki.Compute.Tests.Jobs;

/// <summary><c>cki-compute job --spec &lt;blob-url&gt;</c> against a real Azurite: outputs, then result.json; idempotent; failures reported.</summary>
public sealed class JobCommandTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Job_SameSpliceSpecTwice_SameOutputsAndSuccessResult()
    {
        var blobs = await SetUpAsync("splice", FamilyManifestBuilder.DataFree("a", "b").Build());
        var spec = new SpliceJobSpec
        {
            RunId = "splice-run", JobId = "splice-00001", Family = "splice", Manifest = "runs/splice-run/cki.yaml",
            Inputs = ["checkpoints/splice/a/v1/model.safetensors", "checkpoints/splice/b/v1/model.safetensors"],
            Shard = 1, ShardCount = 1, Tensors = DemoFamily.Layout.Select(t => t.Name).ToList(), OutputFolder = "integrated/splice/splice-run/",
        };

        var (first, firstResult) = await RunAsync(blobs, spec);
        var model = await Download(blobs, "integrated", "splice/splice-run/model-00001-of-00001.safetensors");
        var (second, secondResult) = await RunAsync(blobs, spec);

        Assert.Equal(0, first);
        Assert.Equal(0, second);
        Assert.True(firstResult.Succeeded && secondResult.Succeeded, firstResult.Error);
        Assert.Equal(DemoFamily.Layout.Count, firstResult.Figures["tensors"]);
        Assert.Equal(model, await Download(blobs, "integrated", "splice/splice-run/model-00001-of-00001.safetensors"));
        Assert.Contains("integrated/splice/splice-run/model-00001-of-00001.safetensors", firstResult.Outputs);
        using var shard = SafetensorsReader.Open(new Checkpoints.MemoryByteSource("shard", model));
        Assert.Equal("pt", shard.Header.Metadata["format"]);
        var summary = Cki.Contracts.Jobs.JobJson.Deserialize<Cki.Contracts.Runs.CompatibilitySummary>(await Download(blobs, "integrated", "splice/splice-run/model-00001-of-00001.compatibility.json"), "compatibility.json");
        Assert.Equal(["checkpoints/splice/a/v1/model.safetensors", "checkpoints/splice/b/v1/model.safetensors"], summary.Models);

        // The heatmaps beside the shard: global-only keeps one weight per model and tensor, so each tensor is one cell,
        // won by the model of the larger weight (its mean weight in the summary), wholly.
        Assert.Contains("integrated/splice/splice-run/model-00001-of-00001.heatmap.json", firstResult.Outputs);
        var heatmaps = Cki.Contracts.Jobs.JobJson.Deserialize<Cki.Contracts.Runs.CompatibilityHeatmaps>(
            await Download(blobs, "integrated", "splice/splice-run/model-00001-of-00001.heatmap.json"), "heatmap.json");
        Assert.Equal(summary.Tensors.Select(t => t.Tensor), heatmaps.Tensors.Select(h => h.Tensor));
        foreach (var (tensor, heatmap) in summary.Tensors.Zip(heatmaps.Tensors))
        {
            Assert.Equal(tensor.Shape, heatmap.Shape);
            Assert.Equal((1, 1, 1.0), (heatmap.Rows, heatmap.Columns, heatmap.Share[0]));
            Assert.Equal(tensor.MeanWeight[1] > tensor.MeanWeight[0] ? 1 : 0, heatmap.Winner[0]);
        }

        // And the static plot of the shares, for the report and the model card.
        Assert.Contains("integrated/splice/splice-run/model-00001-of-00001.compatibility.png", firstResult.Outputs);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, (await Download(blobs, "integrated", "splice/splice-run/model-00001-of-00001.compatibility.png"))[..4]);
    }

    [Fact]
    public async Task Job_ProfileOfMissingCheckpoint_FailureResultNamesBlob_ExitCode1()
    {
        var blobs = await SetUpAsync("missing", FamilyManifestBuilder.DataFree("a", "b").Build());
        var spec = new ProfileJobSpec
        {
            RunId = "missing-run", JobId = "profile-zz", Family = "missing", Manifest = "runs/missing-run/cki.yaml",
            Inputs = ["checkpoints/missing/a/v1/model.safetensors"], Checkpoint = "checkpoints/missing/zz/v1/model.safetensors",
        };

        var (exit, result) = await RunAsync(blobs, spec);

        Assert.Equal(1, exit);
        Assert.False(result.Succeeded);
        Assert.Contains("missing/zz/v1/model.safetensors", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_UnreadableSpec_FailureResultBesideIt()
    {
        var blobs = await SetUpAsync("broken", FamilyManifestBuilder.DataFree("a", "b").Build());
        await Upload(blobs, "runs", "broken-run/jobs/profile-a/spec.json", Encoding.UTF8.GetBytes("{\"kind\": \"profile\", \"run_id\": "));

        var (exit, _, _) = CkiComputeProcess.Run(Environment(), "job", "--spec", Url(blobs, "runs", "broken-run/jobs/profile-a/spec.json"));
        var result = JobJson.Deserialize<JobResult>(await Download(blobs, "runs", "broken-run/jobs/profile-a/result.json"), "result.json");

        Assert.Equal(1, exit);
        Assert.False(result.Succeeded);
        Assert.Contains("spec.json", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_EvaluateTrainedModel_FiguresEqualInProcessEvaluation()
    {
        var blobs = await SetUpAsync("evaluate", "task: synthetic\nsources: [a, b]\nevaluation:\n  metrics: [auc, accuracy]\n", trained: true);
        var spec = new EvaluateJobSpec
        {
            RunId = "evaluate-run", JobId = "evaluate-input-a", Family = "evaluate", Manifest = "runs/evaluate-run/cki.yaml",
            Inputs = ["checkpoints/evaluate/a/v1/model.safetensors", "checkpoints/evaluate/b/v1/model.safetensors"],
            Target = "input a", Models = ["checkpoints/evaluate/a/v1/model.safetensors"],
        };

        var (exit, result) = await RunAsync(blobs, spec);

        Assert.Equal(0, exit);
        Assert.True(result.Succeeded, result.Error);
        using var task = new SyntheticTask();
        using var checkpoint = Checkpoint.Open(Url(blobs, "checkpoints", "evaluate/a/v1/model.safetensors"), new CheckpointLocations(new BlobClients(azurite.ConnectionString)));
        var parameters = checkpoint.Tensors.ToDictionary(t => t.Name, t => checkpoint.ReadTensor(t.Name));
        Assert.Equal(TaskEvaluation.Evaluate(task, parameters, TaskSplit.Validation), result.Figures["validation.auc"], 12);
        Assert.Equal(TaskEvaluation.Evaluate(task, parameters, TaskSplit.Test), result.Figures["test.auc"], 12);
        Assert.InRange(result.Figures["test.accuracy"], 0.5, 1.0);
        Assert.Equal(1, result.Figures["inference_cost"]);
    }

    [Fact]
    public async Task Job_EvaluateAveragingBaseline_MergesInItsFolderOnTheStorageAndScoresTheAverage()
    {
        var blobs = await SetUpAsync("baseline", "task: synthetic\nsources: [a, b]\nevaluation:\n  metrics: [auc]\n", trained: true);
        var spec = new EvaluateJobSpec
        {
            RunId = "baseline-run", JobId = "evaluate-baseline-average", Family = "baseline", Manifest = "runs/baseline-run/cki.yaml",
            Inputs = ["checkpoints/baseline/a/v1/model.safetensors", "checkpoints/baseline/b/v1/model.safetensors"],
            Target = "baseline average", Baseline = "average",
        };

        var (exit, result) = await RunAsync(blobs, spec);

        Assert.Equal(0, exit);
        Assert.True(result.Succeeded, result.Error);
        Assert.Contains("runs/baseline-run/jobs/evaluate-baseline-average/model.safetensors", result.Outputs);
        // The average worked out here from the two stored inputs: the task's head tensors averaged (with a task the
        // manifest's default selection is the head), every other tensor model A's.
        var locations = new CheckpointLocations(new BlobClients(azurite.ConnectionString));
        using var a = Checkpoint.Open(Url(blobs, "checkpoints", "baseline/a/v1/model.safetensors"), locations);
        using var b = Checkpoint.Open(Url(blobs, "checkpoints", "baseline/b/v1/model.safetensors"), locations);
        using var task = new SyntheticTask();
        var averaged = a.Tensors.ToDictionary(t => t.Name,
            t => task.HeadTensors.Contains(t.Name) ? (a.ReadTensor(t.Name) + b.ReadTensor(t.Name)) / 2 : a.ReadTensor(t.Name));
        Assert.Equal(TaskEvaluation.Evaluate(task, averaged, TaskSplit.Validation), result.Figures["validation.auc"], 6);
    }

    private Task<BlobServiceClient> SetUpAsync(string family, string manifest, bool trained = false) => JobBlobs.SetUpAsync(azurite.Blobs, family, manifest, trained);

    private async Task<(int ExitCode, JobResult Result)> RunAsync(BlobServiceClient blobs, JobSpec spec)
    {
        await Upload(blobs, "runs", BlobLayout.JobSpec(spec.RunId, spec.JobId), JobJson.Serialize(spec));
        var (exit, _, stderr) = CkiComputeProcess.Run(Environment(), "job", "--spec", Url(blobs, "runs", BlobLayout.JobSpec(spec.RunId, spec.JobId)));
        var result = JobJson.Deserialize<JobResult>(await Download(blobs, "runs", BlobLayout.JobResult(spec.RunId, spec.JobId)), $"result.json ({stderr})");
        return (exit, result);
    }

    private Dictionary<string, string> Environment() => new() { [ComputeVariables.StorageConnectionString] = azurite.ConnectionString };

    private static string Url(BlobServiceClient blobs, string container, string name) => JobBlobs.Url(blobs, container, name);

    private static Task Upload(BlobServiceClient blobs, string container, string name, byte[] content) => JobBlobs.Upload(blobs, container, name, content);

    private static Task<byte[]> Download(BlobServiceClient blobs, string container, string name) => JobBlobs.Download(blobs, container, name);
}
