using Cki.Contracts.Documents;
using Cki.Compute.Checkpoints;
using Cki.Compute.Merging;
using Cki.Contracts.Jobs;
using Cki.Contracts.Manifests;
using Cki.Contracts.Storage;
using static TorchSharp.torch;

namespace Cki.Compute.Jobs;

/// <summary>
/// <c>splice</c>: one shard of the integrated model. The shard's tensors are merged exactly as
/// <c>cki-compute merge</c> merges them (same options, same engine), and written with their compatibility map and
/// summary as <c>model-{i}-of-{n}.safetensors</c> in the run's output folder.
/// </summary>
internal static class SpliceJob
{
    // The entropies of this shard's tensors from every input's profile; a tensor missing from any profile (or with
    // non-finite values) is left out and computed by the method.
    private static Dictionary<string, double[]> ProfiledEntropies(JobContext context, IReadOnlyList<string> profiles, HashSet<string> shard)
    {
        var byTensor = new Dictionary<string, double[]>(StringComparer.Ordinal);
        for (var k = 0; k < profiles.Count; k++)
        {
            var document = context.Storage.Read(RunDocuments.Profile(profiles[k]), context.CancellationToken);
            foreach (var tensor in document.Tensors.Where(t => shard.Contains(t.Name)))
            {
                if (tensor.Entropy is { } entropy)
                {
                    (byTensor.TryGetValue(tensor.Name, out var values) ? values : byTensor[tensor.Name] = new double[profiles.Count])[k] = entropy;
                }
                else
                {
                    byTensor.Remove(tensor.Name);
                    shard = [.. shard.Where(n => n != tensor.Name)];
                }
            }
        }

        return byTensor;
    }

    public static JobOutcome Run(JobContext context, SpliceJobSpec spec)
    {
        var fileName = CheckpointFileNames.Shard(spec.Shard, spec.ShardCount);
        var output = context.Storage.Url(spec.OutputFolder.TrimEnd('/') + "/" + fileName);
        var baseUrl = context.Manifest.Merge.Base is { } b ? context.Storage.Url(b) : null;
        var config = ManifestMergeConfig.From(context.Manifest, context.InputUrls, output, context.Storage.Locations, baseUrl: baseUrl);
        var models = context.InputUrls.Select(url => Checkpoint.Open(url, context.Storage.Locations, cancellationToken: context.CancellationToken)).ToList();
        using var baseModel = baseUrl is null ? null : Checkpoint.Open(baseUrl, context.Storage.Locations, cancellationToken: context.CancellationToken);
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            var shard = spec.Tensors.ToHashSet(StringComparer.Ordinal);
            if (spec.Weights is not null)
            {
                using var stored = Checkpoint.Open(context.Storage.Url(spec.Weights), context.Storage.Locations, cancellationToken: context.CancellationToken);
                foreach (var name in stored.Tensors.Select(t => t.Name).Where(shard.Contains))
                {
                    weights[name] = stored.ReadTensor(name, context.CancellationToken);
                }
            }

            var entropies = config.Method == MergeMethods.GlobalOnly.Name && spec.Profiles.Count == spec.Inputs.Count ? ProfiledEntropies(context, spec.Profiles, shard) : null;
            var (method, onlyThese) = MergeMethodResolver.Resolve(config, spec.Weights is null ? null : weights, entropies);
            var selected = onlyThese ?? MergeMethodResolver.Selection(config, context.RequireTask);
            var metadata = new Dictionary<string, string>
            {
                ["cki.method"] = config.Method, ["cki.run"] = spec.RunId, ["cki.family"] = spec.Family,
                ["cki.shard"] = $"{spec.Shard} of {spec.ShardCount}",
            };
            var result = StreamingMerger.Merge(new MergeRequest
            {
                Models = models,
                Method = method,
                Selected = selected,
                Include = shard.Contains,
                Output = MergeOutputLocation.From(output),
                Locations = context.Storage.Locations,
                Metadata = metadata,
                InputNames = context.InputUrls.Select(url => ProvenanceNames.Of(url, null)).ToList(),
                Base = baseModel,
                AllowNonFinite = config.Merge.AllowNonFinite,
            }, context.CancellationToken);
            var folder = spec.OutputFolder.TrimEnd('/') + "/";
            var outputs = new[] { result.ModelLocation, result.MapLocation, result.SummaryLocation }
                .Where(l => l is not null).Select(l => folder + Uri.UnescapeDataString(l![(l!.LastIndexOf('/') + 1)..])).ToList();
            if (result.MapLocation is not null)
            {
                outputs.Add(SpliceHeatmaps.Write(context, result, folder, fileName));
                outputs.AddRange(SplicePlot.Write(context, result.Summary, folder, fileName) is { } plot ? [plot] : []);
            }

            return new JobOutcome(
                new Dictionary<string, double>
                {
                    [JobFigures.Tensors] = spec.Tensors.Count, [JobFigures.Spliced] = result.Summary.Tensors.Count,
                    [JobFigures.BytesRead] = result.BytesRead, [JobFigures.BytesWritten] = result.BytesWritten,
                },
                outputs);
        }
        finally
        {
            models.ForEach(m => m.Dispose());
            foreach (var t in weights.Values)
            {
                t.Dispose();
            }
        }
    }
}
