using System.Text.Json;
using Cki.Contracts.Jobs;
using Cki.Contracts.Runs;
using Cki.Contracts.Storage;
using Cki.Workflow.Runs;
using Cki.Workflow.Storage;

namespace Cki.Workflow.Api;

/// <summary>One spliced tensor's share: which part of its elements each model gave, and each model's mean weight.</summary>
/// <param name="Tensor">The tensor.</param>
/// <param name="Shape">Its shape.</param>
/// <param name="Share">Per model (model A first), the share of its elements taken from that model.</param>
/// <param name="MeanWeight">Per model, the mean compatibility weight.</param>
public sealed record TensorShare(string Tensor, IReadOnlyList<long> Shape, IReadOnlyList<double> Share, IReadOnlyList<double> MeanWeight);

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
public sealed record RunCompatibility(string RunId, string? Method, IReadOnlyList<string> Models, IReadOnlyList<TensorShare> Tensors,
    IReadOnlyList<TensorHeatmap> Heatmaps)
{
    // The shard summaries are written by cki-compute in camelCase; read in any case.
    private static readonly JsonSerializerOptions SummaryJson = new(JsonSerializerDefaults.Web);

    /// <summary>Reads the run's shard summaries and heatmaps (an empty answer when the run has spliced nothing).</summary>
    public static async Task<RunCompatibility> ReadAsync(WorkflowStorage storage, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var prefix = BlobLayout.IntegratedRunPrefix(RunIds.FamilyOf(runId), runId);
        var blobs = (await storage.ListAsync(BlobLayout.IntegratedContainer, prefix, cancellationToken).ConfigureAwait(false))
            .Select(b => b.Name).Where(n => n.IndexOf('/', prefix.Length) < 0).Order(StringComparer.Ordinal).ToList();
        string? method = null;
        IReadOnlyList<string> models = [];
        var tensors = new List<TensorShare>();
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

            var read = await storage.ReadSmallAsync(BlobLayout.IntegratedContainer, name, JobJson.MaxDocumentBytes, cancellationToken).ConfigureAwait(false);
            if (read is null)
            {
                continue;
            }

            var where = $"{BlobLayout.IntegratedContainer}/{name}";
            if (isHeatmap)
            {
                var document = JobJson.Deserialize<CompatibilityHeatmaps>(read.Value.Content, where);
                heatmaps.AddRange(document.Tensors);
                continue;
            }

            var summary = Parse(read.Value.Content, where);
            method ??= summary.Method;
            models = models.Count > 0 ? models : summary.Models ?? [];
            tensors.AddRange(Shares(summary));
        }

        return new RunCompatibility(runId, method, models, tensors, heatmaps);
    }

    /// <summary>The per-tensor shares of a compatibility summary (a shard's, or the whole model's <c>compatibility.json</c>).</summary>
    /// <param name="content">The summary's JSON.</param>
    /// <param name="where">The blob it came from (errors name it).</param>
    public static IReadOnlyList<TensorShare> Shares(ReadOnlyMemory<byte> content, string where) => Shares(Parse(content, where));

    private static List<TensorShare> Shares(ShardSummary summary) =>
        (summary.Tensors ?? []).Select(t => new TensorShare(t.Name, t.Shape ?? [], t.Share ?? [], t.MeanWeight ?? [])).ToList();

    private static ShardSummary Parse(ReadOnlyMemory<byte> content, string where)
    {
        try
        {
            return JsonSerializer.Deserialize<ShardSummary>(content.Span, SummaryJson) ?? throw new InvalidDataException($"{where}: empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where}: not a compatibility summary: {e.Message}", e);
        }
    }

    private sealed record ShardSummary(string? Method, IReadOnlyList<string>? Models, IReadOnlyList<ShardTensor>? Tensors);

    private sealed record ShardTensor(string Name, IReadOnlyList<long>? Shape, IReadOnlyList<double>? Share, IReadOnlyList<double>? MeanWeight);
}
