using Cki.Contracts.Documents;
using Cki.Contracts.Runs;
using Cki.Contracts.Storage;
using Cki.Workflow.Runs;
using Cki.Workflow.Storage;

namespace Cki.Workflow.Api;

/// <summary>
/// A run's compatibility maps as the dashboard draws them: per spliced tensor the share of each model, and its
/// downsampled heatmap, read from what the splice jobs wrote into the run's output folder (shard by shard, so a run
/// that failed after splicing still shows them).
/// </summary>
/// <param name="RunId">The run.</param>
/// <param name="Method">The merge method; null when no shard has been written.</param>
/// <param name="Models">The inputs, model A first.</param>
/// <param name="Tensors">Per spliced tensor, each model's share, in shard order.</param>
/// <param name="Heatmaps">Per spliced tensor, its heatmap (at most 64 x 64 cells).</param>
public sealed record RunCompatibility(string RunId, string? Method, IReadOnlyList<string> Models, IReadOnlyList<TensorCompatibility> Tensors,
    IReadOnlyList<TensorHeatmap> Heatmaps)
{
    /// <summary>Reads the run's shard summaries and heatmaps (an empty answer when the run has spliced nothing).</summary>
    public static async Task<RunCompatibility> ReadAsync(WorkflowStorage storage, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var prefix = BlobLayout.IntegratedRunPrefix(RunIds.FamilyOf(runId), runId);
        var blobs = (await storage.ListAsync(BlobLayout.IntegratedContainer, prefix, cancellationToken).ConfigureAwait(false))
            .Select(b => b.Name).Where(n => n.IndexOf('/', prefix.Length) < 0).Order(StringComparer.Ordinal).ToList();
        string? method = null;
        IReadOnlyList<string> models = [];
        var tensors = new List<TensorCompatibility>();
        var heatmaps = new List<TensorHeatmap>();
        foreach (var name in blobs)
        {
            var file = name[prefix.Length..];
            var isSummary = file.StartsWith("model-", StringComparison.Ordinal) && file.EndsWith('.' + CheckpointFileNames.CompatibilitySummary, StringComparison.Ordinal);
            var isHeatmap = file.StartsWith("model-", StringComparison.Ordinal) && file.EndsWith(CheckpointFileNames.HeatmapsSuffix, StringComparison.Ordinal);
            if (!isSummary && !isHeatmap)
            {
                continue;
            }

            var qualified = BlobLayout.Qualified(BlobLayout.IntegratedContainer, name);
            if (isHeatmap)
            {
                heatmaps.AddRange((await storage.ReadAsync(RunDocuments.Heatmaps(qualified), cancellationToken).ConfigureAwait(false))?.Tensors ?? []);
            }
            else if (await storage.ReadAsync(RunDocuments.Compatibility(qualified), cancellationToken).ConfigureAwait(false) is { } summary)
            {
                method ??= summary.Method;
                models = models.Count > 0 ? models : summary.Models;
                tensors.AddRange(summary.Tensors);
            }
        }

        return new RunCompatibility(runId, method, models, tensors, heatmaps);
    }
}
