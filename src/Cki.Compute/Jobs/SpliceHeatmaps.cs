using Cki.Contracts.Documents;
using Cki.Compute.Checkpoints;
using Cki.Compute.Merging;
using Cki.Contracts.Runs;
using Cki.Contracts.Storage;
using static TorchSharp.torch;

namespace Cki.Compute.Jobs;

/// <summary>
/// The bounded picture of a splice shard's compatibility map (<see cref="CompatibilityHeatmaps"/>): read back from
/// the map the shard just wrote, one tensor at a time, so memory holds one tensor's weights at most.
/// </summary>
internal static class SpliceHeatmaps
{
    /// <summary>Writes <c>{shard stem}.heatmap.json</c> into <paramref name="folder"/> and returns its blob name.</summary>
    public static string Write(JobContext context, MergeResult result, string folder, string shardFileName)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(result);
        using var map = Checkpoint.Open(result.MapLocation!, context.Storage.Locations, cancellationToken: context.CancellationToken);
        var tensors = new List<TensorHeatmap>();
        foreach (var tensor in result.Summary.Tensors)
        {
            using var scope = NewDisposeScope();
            var weights = map.ReadTensor(tensor.Tensor, context.CancellationToken);
            var models = (int)weights.shape[0];
            // Which model has the largest weight at each element: the decision the compatibility map encodes.
            var winners = weights.dim() == 1 ? [weights.argmax().item<long>()] : weights.reshape(models, -1).argmax(0L).data<long>().ToArray();
            tensors.Add(TensorHeatmap.FromWinners(tensor.Tensor, tensor.Shape, winners, models));
        }

        var name = folder + CheckpointFileNames.HeatmapsBeside(shardFileName);
        var document = new CompatibilityHeatmaps(result.Summary.Method, result.Summary.Models, tensors);
        context.Storage.Write(RunDocuments.Heatmaps(name), document, context.CancellationToken);
        return name;
    }
}
