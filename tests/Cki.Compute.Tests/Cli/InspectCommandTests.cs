using System.Text.Json;
using Azure.Storage.Blobs.Specialized;
using Cki.Compute.Checkpoints;
using Cki.Compute.Tests.Checkpoints;
using Cki.Contracts.Jobs;
using Cki.Testing;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Cli;

public sealed class InspectCommandTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private static void WriteKnownCheckpoint(ICheckpointSink sink)
    {
        var layout = new[] { new TensorSpec("ramp", TensorDtype.F32, [2, 5]), new TensorSpec("steps", TensorDtype.I64, []) };
        using var writer = SafetensorsWriter.Create(sink, layout, new Dictionary<string, string> { ["producer"] = "inspect-test" });
        using var ramp = arange(10, ScalarType.Float32).reshape(2, 5);
        using var steps = tensor(42L);
        writer.Write("ramp", ramp);
        writer.Write("steps", steps);
        writer.Commit();
    }

    private static void AssertKnownJson(string stdout)
    {
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("inspect-test", json.RootElement.GetProperty("metadata").GetProperty("producer").GetString());
        var ramp = json.RootElement.GetProperty("tensors")[0];
        Assert.Equal("ramp", ramp.GetProperty("name").GetString());
        Assert.Equal("F32", ramp.GetProperty("dtype").GetString());
        Assert.Equal([2, 5], ramp.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal(40, ramp.GetProperty("bytes").GetInt64());
        Assert.Equal(0.0, ramp.GetProperty("min").GetDouble());
        Assert.Equal(9.0, ramp.GetProperty("max").GetDouble());
        Assert.Equal(4.5, ramp.GetProperty("mean").GetDouble(), 12);
        Assert.Equal(Math.Sqrt(55.0 / 6.0), ramp.GetProperty("std").GetDouble(), 12); // sum (i - 4.5)^2 = 82.5, / 9
        Assert.Equal(0, ramp.GetProperty("nonFinite").GetInt64());
        Assert.Equal(0.9 * Math.Log(10), ramp.GetProperty("entropy").GetDouble(), 10);
        var steps = json.RootElement.GetProperty("tensors")[1];
        Assert.Equal(42.0, steps.GetProperty("mean").GetDouble());
        Assert.Equal(0.0, steps.GetProperty("entropy").GetDouble());
    }

    [Fact]
    public void Inspect_LocalFileJson_PrintsHandCheckedStatistics()
    {
        var path = _scratch.File("known.safetensors");
        WriteKnownCheckpoint(new FileCheckpointSink(path));
        var (exit, stdout, stderr) = CkiComputeProcess.Run(null, "inspect", path, "--json");
        Assert.True(exit == 0, stderr);
        AssertKnownJson(stdout);
    }

    [Fact]
    public void Inspect_BlobUrlOnAzurite_PrintsTheSameStatistics()
    {
        var container = azurite.Blobs.GetBlobContainerClient($"c{Guid.NewGuid():N}");
        container.Create();
        var blob = container.GetBlockBlobClient("family/a/v1/model.safetensors");
        WriteKnownCheckpoint(new BlobCheckpointSink(blob));
        var environment = new Dictionary<string, string> { [ComputeVariables.StorageConnectionString] = azurite.ConnectionString };
        var (exit, stdout, stderr) = CkiComputeProcess.Run(environment, "inspect", blob.Uri.ToString(), "--json");
        Assert.True(exit == 0, stderr);
        AssertKnownJson(stdout);
    }

    [Fact]
    public void Inspect_Table_ListsEveryTensor()
    {
        var path = _scratch.File("known.safetensors");
        WriteKnownCheckpoint(new FileCheckpointSink(path));
        var (exit, stdout, _) = CkiComputeProcess.Run(null, "inspect", path);
        Assert.Equal(0, exit);
        Assert.Contains("2 tensors in 1 file(s)", stdout, StringComparison.Ordinal);
        Assert.Contains("producer = inspect-test", stdout, StringComparison.Ordinal);
        Assert.Matches(@"ramp\s+F32\s+\[2, 5\]\s+40", stdout);
    }

    [Fact]
    public void Inspect_MalformedFile_ExitsNonZeroNamingFileTensorAndRule()
    {
        var path = _scratch.File("bad.safetensors");
        File.WriteAllBytes(path, RawSafetensors.Build("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", new byte[8]));
        var (exit, stdout, stderr) = CkiComputeProcess.Run(null, "inspect", path, "--json");
        Assert.NotEqual(0, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains(path, stderr, StringComparison.Ordinal);
        Assert.Contains("'w'", stderr, StringComparison.Ordinal);
        Assert.Contains(nameof(CheckpointRule.ShapeSizeMismatch), stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_MissingFile_ExitsNonZeroNamingIt()
    {
        var path = _scratch.File("absent.safetensors");
        var (exit, _, stderr) = CkiComputeProcess.Run(null, "inspect", path);
        Assert.NotEqual(0, exit);
        Assert.Contains(path, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ListsTheCommands()
    {
        var (exit, stdout, _) = CkiComputeProcess.Run(null, "--help");
        Assert.Equal(0, exit);
        foreach (var command in new[] { "inspect", "demo", "bench" })
        {
            Assert.Contains(command, stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    [Trait("Category", "Slow")] // the whole demo with every method in a child process: 2 minutes on a loaded machine
    public void Demo_WritesShardedCheckpointsAndIntegratesWithEveryMethod()
    {
        var (exit, stdout, stderr) = CkiComputeProcess.Run(null, "demo", "--out", _scratch.Path);
        Assert.True(exit == 0, stderr);
        using var b = Checkpoint.Open(Path.Combine(_scratch.Path, "generated", "b"), CheckpointLocations.Default);
        Assert.True(b.Files.Count > 1);
        foreach (var row in new[] { "model A", "model B", "output ensemble (A, B)", "average (head)", "CKI soft", "CKI hard", "CKI global-only (head)", "CKI local-only", "pruning (reference, head)" })
        {
            Assert.Contains(row, stdout, StringComparison.Ordinal);
        }

        using var a = Checkpoint.Open(Path.Combine(_scratch.Path, "synthetic", "a"), CheckpointLocations.Default);
        using var cki = Checkpoint.Open(Path.Combine(_scratch.Path, "synthetic", "integrated", "cki-soft", "model.safetensors"), CheckpointLocations.Default);
        Assert.Equal(a.Tensors, cki.Tensors, new SpecComparer());
        Assert.Equal("cki", cki.Metadata["cki.method"]);
    }

    private sealed class SpecComparer : IEqualityComparer<TensorSpec>
    {
        public bool Equals(TensorSpec? x, TensorSpec? y) => x!.Name == y!.Name && x.SameLayout(y);

        public int GetHashCode(TensorSpec obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
