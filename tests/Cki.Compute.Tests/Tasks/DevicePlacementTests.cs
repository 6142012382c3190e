using Cki.Compute.Data.MovieLens;
using Cki.Compute.Tasks;
using Cki.Compute.Tasks.Registry;
using Cki.Compute.Tasks.Din;
using Cki.Compute.Tasks.Synthetic;
using TorchSharp;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Tasks;

/// <summary>
/// The device is threaded through, checked on the meta device (tensors with shapes and no data): a task built on meta
/// keeps its data and builds its batches there, and the trainer and the evaluation hand the forward pass parameters on
/// meta although they start on the CPU. What meta cannot show: the passes themselves (this libtorch has no meta kernel
/// for <c>index_select</c> or <c>abs</c>, so the assessment's whole run cannot go there either; its parts are checked in
/// Method/AssessmentDeviceTests) and the copies back to the CPU (meta has no data to copy). Those run on the CPU in the
/// other tests, and on CUDA nowhere here.
/// </summary>
public sealed class DevicePlacementTests : IDisposable
{
    private static readonly Device Meta = device(DeviceType.META);
    private readonly SyntheticTask _task = new(trainSize: 16_400, device: Meta);
    private readonly DeviceProbeTask _probe;
    private readonly Dictionary<string, Tensor> _a = TaskTrainer.Initialize(SyntheticTask.Layout, seed: 0);
    private readonly Dictionary<string, Tensor> _b = TaskTrainer.Initialize(SyntheticTask.Layout, seed: 1);

    public DevicePlacementTests() => _probe = new DeviceProbeTask(_task);

    public void Dispose()
    {
        foreach (var t in _a.Values.Concat(_b.Values))
        {
            t.Dispose();
        }

        _task.Dispose();
    }

    [Theory]
    [InlineData(TaskSplit.Train)]
    [InlineData(TaskSplit.Validation)]
    public void Batches_SyntheticTaskOnMeta_EveryTensorOnMeta(TaskSplit split)
    {
        var batches = 0;
        foreach (var batch in _task.Batches(split, 4096, shuffleSeed: 3))
        {
            using (batch)
            {
                AssertOnMeta(batch);
                batches++;
            }
        }

        Assert.Equal(split == TaskSplit.Train ? 5 : 2, batches);
    }

    [Fact]
    public void Batches_DinTaskOnMeta_EveryTensorOnMeta()
    {
        // Two users, three movies (per-user split: user 1's first ratings train).
        var data = CtrDataset.Build(new MovieLensData(
            [new MovieRating(1, 1, 5f, 1), new MovieRating(1, 2, 2f, 2), new MovieRating(1, 3, 4f, 3), new MovieRating(2, 1, 4f, 4)],
            new Dictionary<int, Movie> { [1] = new(1, "a", ["Drama"]), [2] = new(2, "b", ["Comedy", "Drama"]), [3] = new(3, "c", []) }));
        using var task = new DinTask(data, device: Meta);

        using var batch = Assert.Single(task.Batches(TaskSplit.Train, 1024, shuffleSeed: 0));

        Assert.Equal(DeviceType.META, task.Device.type);
        AssertOnMeta(batch);
    }

    [Fact]
    public void Create_RegistryTaskOnMeta_KeepsItsDataOnMeta()
    {
        using var task = (SyntheticTask)TaskRegistry.Create("synthetic", device: Meta);
        Assert.Equal(DeviceType.META, task.Device.type);
        using var batch = task.Batches(TaskSplit.Test, 16, 0).First();
        AssertOnMeta(batch);
    }

    [Fact]
    public void Train_TaskOnMeta_StepsWithParametersAndBatchesOnMeta()
    {
        Assert.Throws<DeviceProbeTask.ProbeStop>(() => TaskTrainer.Train(_probe, _a, epochs: 1, learningRate: 1e-2, batchSize: 64, shuffleSeed: 0));

        AssertAllOnMeta();
        Assert.All(_a.Values, t => Assert.Equal(DeviceType.CPU, t.device_type)); // the start is copied, not moved
    }

    [Fact]
    public void Ensemble_TaskOnMeta_ModelsFromTheCpuRunOnMeta()
    {
        Assert.Throws<DeviceProbeTask.ProbeStop>(() => TaskEvaluation.Ensemble(_probe, [_a, _b], TaskSplit.Validation));

        AssertAllOnMeta();
    }

    private static void AssertOnMeta(TaskBatch batch)
    {
        Assert.All(batch.Inputs.Values, t => Assert.Equal(DeviceType.META, t.device_type));
        Assert.Equal(DeviceType.META, batch.Labels.device_type);
    }

    // Every parameter of the model and every batch tensor of the first forward pass was on meta.
    private void AssertAllOnMeta()
    {
        Assert.Equal(SyntheticTask.Layout.Count, _probe.Seen.Count(s => s.Tensor.StartsWith("parameter ", StringComparison.Ordinal)));
        Assert.All(_probe.Seen, s => Assert.True(s.Device == DeviceType.META, $"{s.Tensor} is on {s.Device}"));
    }
}
