using Cki.Compute.Checkpoints;
using Cki.Compute.Demo;
using Cki.Compute.Tasks.Synthetic;
using Cki.Compute.Tasks;
using Cki.Contracts.Jobs;
using Cki.Testing;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Cli;

public sealed class MergeCommandTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private static void Write(string path, Dictionary<string, Tensor> model)
    {
        using var writer = SafetensorsWriter.Create(new FileCheckpointSink(path), SyntheticTask.Layout);
        foreach (var spec in SyntheticTask.Layout)
        {
            writer.Write(spec.Name, model[spec.Name]);
        }

        writer.Commit();
    }

    [Fact]
    public void Merge_CkiOnSyntheticTask_WritesModelMapSummaryAndReproducesTheLoggedValidation()
    {
        using var task = new SyntheticTask();
        foreach (var (name, seed) in new[] { ("a", 0), ("b", 1) })
        {
            var model = task.Train(seed, epochs: 2);
            Write(_scratch.File($"{name}.safetensors"), model);
            foreach (var t in model.Values)
            {
                t.Dispose();
            }
        }

        File.WriteAllText(_scratch.File("merge.yaml"), """
            models: [a.safetensors, b.safetensors]
            method: cki
            tensors: head
            task:
              name: synthetic
              learning_rates: [0.01]
              epochs: 3
            output: out/cki.safetensors
            """);
        var (exit, stdout, stderr) = CkiComputeProcess.Run(null, "merge", "--config", _scratch.File("merge.yaml"));
        Assert.True(exit == 0, stderr);
        Assert.Contains("assess: lr 0.01 epoch 3/3", stderr, StringComparison.Ordinal);
        var line = stdout.Split('\n').Single(l => l.StartsWith("assessment on task 'synthetic'", StringComparison.Ordinal));
        var logged = double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

        using var merged = Checkpoint.Open(_scratch.File("out/cki.safetensors"), CheckpointLocations.Default);
        var parameters = SyntheticTask.Layout.ToDictionary(s => s.Name, s => merged.ReadTensor(s.Name));
        Assert.Equal(logged, TaskEvaluation.Evaluate(task, parameters, TaskSplit.Validation), 4);
        using var a = Checkpoint.Open(_scratch.File("a.safetensors"), CheckpointLocations.Default);
        using var trunk = a.ReadTensor("trunk.0.weight");
        Assert.True(parameters["trunk.0.weight"].eq(trunk).all().item<bool>());

        using var map = Checkpoint.Open(_scratch.File("out/cki.compatibility.safetensors"), CheckpointLocations.Default);
        Assert.Equal(["head.0.weight", "head.1.weight"], map.Tensors.Select(t => t.Name));
        Assert.Equal([2L, 16, 32], map.Tensors[0].Shape);
        var summary = Cki.Contracts.Jobs.JobJson.Deserialize<Cki.Contracts.Runs.CompatibilitySummary>(File.ReadAllBytes(_scratch.File("out/cki.compatibility.json")), "cki.compatibility.json");
        Assert.Equal("cki", summary.Method);
        Assert.All(summary.Tensors, t => Assert.Equal(1.0, t.Share.Sum(), 9));
        Assert.Equal("cki", merged.Metadata["cki.method"]);
        Assert.Contains("\"learning_rate\":0.01", merged.Metadata["cki.options"], StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_BlobInputsAndOutputOnAzurite_MatchesTheLocalMerge()
    {
        var container = azurite.Blobs.GetBlobContainerClient($"c{Guid.NewGuid():N}");
        container.Create();
        var locations = new CheckpointLocations(new BlobClients(azurite.ConnectionString));
        var a = DemoFamily.Write(_scratch.File("a"), seed: 0);
        var b = DemoFamily.Write(_scratch.File("b"), seed: 1);
        Copy(a, $"{container.Uri}/family/a/v1", locations);
        Copy(b, $"{container.Uri}/family/b/v1", locations);
        container.GetBlobClient("family/a/v1/config.json").Upload(BinaryData.FromString("{\"model_type\": \"demo\"}"));

        File.WriteAllText(_scratch.File("merge.yaml"), $"""
            models: ["{container.Uri}/family/a/v1/model.safetensors", "{container.Uri}/family/b/v1/model.safetensors"]
            method: global-only
            output: {container.Uri}/integrated/run1/model.safetensors
            """);
        var environment = new Dictionary<string, string> { [ComputeVariables.StorageConnectionString] = azurite.ConnectionString };
        var (exit, _, stderr) = CkiComputeProcess.Run(environment, "merge", "--config", _scratch.File("merge.yaml"));
        Assert.True(exit == 0, stderr);

        File.WriteAllText(_scratch.File("local.yaml"), $"models: [{a}, {b}]\nmethod: global-only\noutput: local.safetensors\n");
        Assert.Equal(0, CkiComputeProcess.Run(null, "merge", "--config", _scratch.File("local.yaml")).ExitCode);
        using var remote = Checkpoint.Open($"{container.Uri}/integrated/run1/model.safetensors", locations);
        using var local = Checkpoint.Open(_scratch.File("local.safetensors"), CheckpointLocations.Default);
        foreach (var spec in local.Tensors)
        {
            using var r = remote.ReadTensor(spec.Name);
            using var l = local.ReadTensor(spec.Name);
            Assert.True(r.eq(l).all().item<bool>(), spec.Name);
        }

        Assert.Contains(container.GetBlobs(), blob => blob.Name == "integrated/run1/model.compatibility.json");
        Assert.Equal("{\"model_type\": \"demo\"}", container.GetBlobClient("integrated/run1/config.json").DownloadContent().Value.Content.ToString());
        Assert.Equal($"[\"{container.Name}/family/a/v1/model.safetensors\",\"{container.Name}/family/b/v1/model.safetensors\"]", remote.Metadata["cki.models"]);
    }

    private static void Copy(string from, string folder, CheckpointLocations locations)
    {
        using var source = Checkpoint.Open(from, CheckpointLocations.Default);
        using var writer = ShardedCheckpointWriter.Create(folder, source.Tensors, long.MaxValue, locations: locations);
        foreach (var spec in source.Tensors)
        {
            using var t = source.ReadTensor(spec.Name);
            writer.Write(spec.Name, t);
        }

        writer.Commit();
    }

    [Fact]
    public void Merge_BadConfig_ExitsNonZeroNamingFileAndLine()
    {
        File.WriteAllText(_scratch.File("merge.yaml"), "models: [a.safetensors, b.safetensors]\nmethod: average\nspeed: fast\n");
        var (exit, stdout, stderr) = CkiComputeProcess.Run(null, "merge", "--config", _scratch.File("merge.yaml"));
        Assert.NotEqual(0, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("merge.yaml:3:1: speed: unknown key 'speed'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_MissingModelFile_ExitsNonZeroNamingItAndWritesNothing()
    {
        File.WriteAllText(_scratch.File("merge.yaml"), "models: [a.safetensors, b.safetensors]\noutput: out/m.safetensors\n");
        var (exit, _, stderr) = CkiComputeProcess.Run(null, "merge", "--config", _scratch.File("merge.yaml"));
        Assert.NotEqual(0, exit);
        Assert.Contains("merge.yaml:1:10: models[0]: a.safetensors: no such file", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_scratch.File("out")));
    }
}
