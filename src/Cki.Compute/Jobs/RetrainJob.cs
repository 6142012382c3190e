using Cki.Compute.Checkpoints;
using Cki.Compute.Tasks;
using Cki.Contracts.Jobs;

namespace Cki.Compute.Jobs;

/// <summary>
/// <c>retrain</c>: trains the integrated model for a few epochs on the training split (Adam, 1e-3, the task's batch
/// size, the manifest's seed) on the task's device, and writes it (back on the CPU) to this job's <c>model.safetensors</c>
/// for evaluation.
/// </summary>
internal static class RetrainJob
{
    public const string ModelFile = "model.safetensors";
    private const double LearningRate = 1e-3;

    public static JobOutcome Run(JobContext context, RetrainJobSpec spec)
    {
        var task = context.RequireTask();
        using var checkpoint = Checkpoint.Open(context.Storage.Url(spec.Model), context.Storage.Locations, cancellationToken: context.CancellationToken);
        var start = TaskMetrics.Load(checkpoint, context.CancellationToken);
        Dictionary<string, TorchSharp.torch.Tensor>? trained = null;
        try
        {
            trained = TaskTrainer.Train(task, start, spec.Epochs, LearningRate, context.Manifest.Candidates.BatchSize ?? task.BatchSize,
                context.Manifest.Merge.Seed);
            var metadata = new Dictionary<string, string> { ["cki.run"] = spec.RunId, ["cki.retrained_from"] = spec.Model, ["cki.epochs"] = $"{spec.Epochs}" };
            using var writer = ShardedCheckpointWriter.Create(context.OutputUrl(ModelFile)[..^ModelFile.Length], checkpoint.Tensors, long.MaxValue, metadata,
                context.Storage.Locations);
            foreach (var tensor in checkpoint.Tensors)
            {
                using var value = trained[tensor.Name].to_type(tensor.Dtype.ToScalarType()).contiguous();
                writer.Write(tensor.Name, value, context.CancellationToken);
            }

            writer.Commit(cancellationToken: context.CancellationToken);
            return new JobOutcome(new Dictionary<string, double> { ["epochs"] = spec.Epochs }, [context.OutputName(ModelFile)]);
        }
        finally
        {
            foreach (var t in start.Values.Concat(trained?.Values.AsEnumerable() ?? []))
            {
                t.Dispose();
            }
        }
    }
}
