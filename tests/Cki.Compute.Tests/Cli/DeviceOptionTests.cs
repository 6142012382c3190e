using Cki.Compute.Checkpoints;
using Cki.Compute.Devices;
using Cki.Compute.Tasks;
using Cki.Compute.Tasks.Synthetic;
using Cki.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Cli;

/// <summary><c>--device cpu|cuda|auto</c>: how it resolves, the CPU path of a learned merge, and the error for cuda where none is present.</summary>
public sealed class DeviceOptionTests : IDisposable
{
    private const string NoCuda = "cki-compute: error: --device cuda: no CUDA device is available here";
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData("cpu", false, DeviceType.CPU)]
    [InlineData("cpu", true, DeviceType.CPU)]
    [InlineData("auto", false, DeviceType.CPU)]
    [InlineData("auto", true, DeviceType.CUDA)]
    [InlineData("cuda", true, DeviceType.CUDA)]
    public void Resolve_ChoiceAndAvailability_GivesTheDevice(string choice, bool available, DeviceType expected) =>
        Assert.Equal(expected, ComputeDevice.Resolve(choice, () => available));

    [Fact]
    public void Resolve_CudaWithoutADevice_IsAClearError()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ComputeDevice.Resolve("cuda", () => false));
        Assert.StartsWith("--device cuda: no CUDA device is available here", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ThisMachine_HasNoCudaSoAutoIsCpu()
    {
        // The CPU build of libtorch: torch.cuda.is_available() answers false.
        Assert.False(cuda.is_available());
        Assert.Equal(DeviceType.CPU, ComputeDevice.Resolve("auto"));
    }

    [Fact]
    public void Merge_LearnedOnDeviceCpu_AssessesAndWrites()
    {
        WriteModels();
        File.WriteAllText(_scratch.File("merge.yaml"), """
            models: [a.safetensors, b.safetensors]
            method: cki
            tensors: head
            task:
              name: synthetic
              learning_rates: [0.01]
              epochs: 1
            output: out/cki.safetensors
            """);

        var (exit, stdout, stderr) = CkiComputeProcess.Run(null, "merge", "--config", _scratch.File("merge.yaml"), "--device", "cpu");

        Assert.True(exit == 0, stderr);
        Assert.StartsWith("merge: device cpu\n", stderr, StringComparison.Ordinal);
        Assert.Contains("assess: lr 0.01 epoch 1/1", stderr, StringComparison.Ordinal);
        Assert.Contains("assessment on task 'synthetic'", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(_scratch.File("out/cki.safetensors")));
    }

    [Fact]
    public void Merge_DeviceCudaWithoutOne_OneLineErrorExit1AndNothingWritten()
    {
        WriteModels();
        File.WriteAllText(_scratch.File("merge.yaml"), "models: [a.safetensors, b.safetensors]\nmethod: global-only\noutput: out/m.safetensors\n");

        var (exit, stdout, stderr) = CkiComputeProcess.Run(null, "merge", "--config", _scratch.File("merge.yaml"), "--device", "cuda");

        AssertOneLineError(exit, stdout, stderr);
        Assert.False(Directory.Exists(_scratch.File("out")));
    }

    [Theory]
    [InlineData("job", "--spec", "no-such-spec.json")]
    [InlineData("experiment", "movielens", "--quick")]
    public void Command_DeviceCudaWithoutOne_OneLineErrorExit1(params string[] args)
    {
        var (exit, stdout, stderr) = CkiComputeProcess.Run(null, [.. args, "--device", "cuda"]);
        AssertOneLineError(exit, stdout, stderr);
    }

    [Fact]
    public void Demo_DeviceCudaWithoutOne_OneLineErrorExit1AndNothingWritten()
    {
        var (exit, stdout, stderr) = CkiComputeProcess.Run(null, "demo", "--out", _scratch.File("demo"), "--device", "cuda");

        AssertOneLineError(exit, stdout, stderr);
        Assert.False(Directory.Exists(_scratch.File("demo")));
    }

    [Fact]
    public void Of_Cpu_TheCpuDevice() => Assert.Equal(DeviceType.CPU, ComputeDevice.Of("cpu", () => true).type);

    [Fact]
    public void Merge_UnknownDevice_RejectedByTheParser()
    {
        var (exit, _, stderr) = CkiComputeProcess.Run(null, "merge", "--config", "merge.yaml", "--device", "tpu");
        Assert.NotEqual(0, exit);
        Assert.Contains("tpu", stderr, StringComparison.Ordinal);
    }

    private static void AssertOneLineError(int exit, string stdout, string stderr)
    {
        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stdout);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr:\n{stderr}");
        Assert.StartsWith(NoCuda, lines[0], StringComparison.Ordinal);
    }

    // Two small models of the synthetic task's architecture (fresh initialisations: enough for a merge).
    private void WriteModels()
    {
        foreach (var (name, seed) in new[] { ("a", 0), ("b", 1) })
        {
            var model = TaskTrainer.Initialize(SyntheticTask.Layout, seed);
            using (var writer = SafetensorsWriter.Create(new FileCheckpointSink(_scratch.File($"{name}.safetensors")), SyntheticTask.Layout))
            {
                foreach (var spec in SyntheticTask.Layout)
                {
                    writer.Write(spec.Name, model[spec.Name]);
                }

                writer.Commit();
            }

            foreach (var t in model.Values)
            {
                t.Dispose();
            }
        }
    }
}
