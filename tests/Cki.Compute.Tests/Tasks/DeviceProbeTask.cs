using Cki.Compute.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Tasks;

/// <summary>
/// A task that records, at its first forward pass, the devices of the parameters and the batch it is given, and stops
/// the caller there with <see cref="ProbeStop"/>: on the meta device (shapes, no data) the real pass cannot run (this
/// libtorch has no meta kernel for <c>index_select</c>) and nothing can be read back to the host.
/// </summary>
internal sealed class DeviceProbeTask(ITaskModel inner) : ITaskModel
{
    /// <summary>The devices met, one entry per tensor seen (parameters and batch tensors), with what it was.</summary>
    public List<(string Tensor, DeviceType Device)> Seen { get; } = [];

    public string Name => inner.Name;

    public string MetricName => inner.MetricName;

    public IReadOnlyList<string> HeadTensors => inner.HeadTensors;

    public bool LocalBias => inner.LocalBias;

    public int BatchSize => inner.BatchSize;

    public Device Device => inner.Device;

    public IEnumerable<TaskBatch> Batches(TaskSplit split, int batchSize, int shuffleSeed) => inner.Batches(split, batchSize, shuffleSeed);

    public Tensor Logits(IReadOnlyDictionary<string, Tensor> parameters, TaskBatch batch)
    {
        Seen.AddRange(parameters.Select(p => ($"parameter {p.Key}", p.Value.device_type)));
        Seen.AddRange(batch.Inputs.Select(p => ($"input {p.Key}", p.Value.device_type)));
        Seen.Add(("labels", batch.Labels.device_type));
        throw new ProbeStop();
    }

    public Tensor Loss(Tensor logits, Tensor labels) => inner.Loss(logits, labels);

    public double Metric(Tensor logits, Tensor labels) => inner.Metric(logits, labels);

    /// <summary>Thrown when the probe has seen enough.</summary>
    public sealed class ProbeStop : Exception
    {
        public ProbeStop()
            : base("probe: the first forward pass is recorded")
        {
        }
    }
}
