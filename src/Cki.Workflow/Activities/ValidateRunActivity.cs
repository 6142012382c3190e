using System.Text;
using Cki.Contracts.Documents;
using Cki.Contracts.Checkpoints;
using Cki.Contracts.Jobs;
using Cki.Contracts.Manifests;
using Cki.Contracts.Storage;
using Cki.Workflow.Messages;
using Cki.Workflow.Storage;
using Microsoft.DurableTask;

namespace Cki.Workflow.Activities;

/// <summary>
/// Step 1 of a run, before any compute: parses the manifest (file:line:column errors), checks that every source
/// has its checkpoint, reads every input's header by range reads under the ETags the trigger saw, compares the
/// architecture fingerprint (names, shapes, dtypes) with a per-tensor diff, snapshots the manifest for the jobs,
/// and plans the splice shards.
/// </summary>
public sealed class ValidateRunActivity(WorkflowStorage storage) : TaskActivity<RunRequest, RunPlan>
{
    private const int MaxDifferencesShown = 20;

    /// <inheritdoc />
    public override async Task<RunPlan> RunAsync(TaskActivityContext context, RunRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancellationToken = CancellationToken.None;
        var manifestName = BlobLayout.FamilyManifest(input.Family);
        var qualifiedManifest = BlobLayout.Qualified(BlobLayout.CheckpointsContainer, manifestName);
        var read = await storage.ReadSmallAsync(BlobLayout.CheckpointsContainer, manifestName, FamilyManifestParser.MaxManifestBytes, cancellationToken)
            .ConfigureAwait(false) ?? throw new InvalidOperationException($"{qualifiedManifest}: no such blob (the family has no manifest).");
        if (read.ETag != input.ManifestETag && (input.ManifestContentId is null || Runs.ContentIds.Of(read.Content) != input.ManifestContentId))
        {
            throw new InvalidOperationException($"{qualifiedManifest}: changed since the run was started (ETag {input.ManifestETag}, now {read.ETag}); the new version starts its own run.");
        }

        var manifestModified = (await storage.ListAsync(BlobLayout.CheckpointsContainer, manifestName, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(b => b.Name == manifestName && b.ETag == read.ETag)?.LastModified
            ?? throw new InvalidOperationException($"{qualifiedManifest}: changed while the run was starting; the new version starts its own run.");
        var text = Encoding.UTF8.GetString(read.Content);
        var manifest = FamilyManifestParser.Parse(text, qualifiedManifest);
        var inputs = new List<Contracts.Runs.RunInput>();
        foreach (var source in manifest.Sources)
        {
            inputs.Add(input.Inputs.FirstOrDefault(i => i.Source == source) ?? throw new InvalidOperationException(
                $"{BlobLayout.CheckpointsContainer}/{BlobLayout.SourcePrefix(input.Family, source)}: source '{source}' of sources: " +
                $"has no complete checkpoint (expected {{version}}/{CheckpointFileNames.SingleFile}, or {{version}}/{CheckpointFileNames.ShardIndex} with all its shards): " +
                await new Runs.InputResolver(storage).LackingAsync(input.Family, source, cancellationToken).ConfigureAwait(false) + "."));
        }

        foreach (var (key, reference) in manifest.Data)
        {
            var (container, name) = BlobLayout.Split(reference);
            if (!(await storage.ListAsync(container, name, cancellationToken).ConfigureAwait(false)).Any(b => b.Name == name))
            {
                throw new InvalidOperationException($"{qualifiedManifest}: data.{key}: {reference}: no such blob (upload the data before the checkpoints, or fix the reference).");
            }
        }

        var layouts = new List<(string Name, IReadOnlyList<TensorSpec> Tensors)>();
        var versions = new Dictionary<string, InputVersion>(StringComparer.Ordinal);
        foreach (var checkpoint in inputs)
        {
            var etags = await CurrentETagsAsync(checkpoint, cancellationToken).ConfigureAwait(false);
            layouts.Add((checkpoint.Checkpoint, await LayoutAsync(checkpoint.Checkpoint, etags, cancellationToken).ConfigureAwait(false)));
            Pin(versions, BlobLayout.Split(checkpoint.Checkpoint).Container, etags, checkpoint.ContentIds);
        }

        if (manifest.Merge.Base is { } baseModel)
        {
            var (container, name) = BlobLayout.Split(baseModel);
            var blob = (await storage.ListAsync(container, name, cancellationToken).ConfigureAwait(false)).FirstOrDefault(b => b.Name == name)
                ?? throw new InvalidOperationException($"{baseModel}: merge.base: no such blob.");
            layouts.Add((baseModel, await LayoutAsync(baseModel, new Dictionary<string, string> { [name] = blob.ETag }, cancellationToken).ConfigureAwait(false)));
            versions[baseModel] = new InputVersion(blob.ETag, Runs.ContentIds.Of(blob));
        }

        foreach (var (checkpoint, (name, tensors)) in inputs.Zip(layouts))
        {
            if (tensors.Count == 0)
            {
                throw new InvalidOperationException($"{name}: source {checkpoint.Source} has no tensors; an empty model cannot be integrated.");
            }
        }

        var differences = ArchitectureCheck.Differences(layouts);
        if (differences.Count > 0)
        {
            throw new InvalidOperationException($"The inputs do not share one architecture ({differences.Count} difference(s)):{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", differences.Take(MaxDifferencesShown)) +
                (differences.Count > MaxDifferencesShown ? $"{Environment.NewLine}  ... and {differences.Count - MaxDifferencesShown} more" : ""));
        }

        EnsureSomethingSelected(manifest.Merge.Tensors, layouts[0].Tensors, qualifiedManifest);
        var snapshot = BlobLayout.RunManifest(input.RunId);
        await storage.WriteSmallAsync(BlobLayout.RunsContainer, snapshot, read.Content, ifMatch: null, cancellationToken).ConfigureAwait(false);
        var layout = layouts[0].Tensors;
        var (champion, championNote) = manifest.Task == ManifestTasks.None ? (null, null)
            : await ChampionAsync(input.Family, layouts[0], cancellationToken).ConfigureAwait(false);
        return new RunPlan
        {
            Champion = champion,
            ChampionNote = championNote,
            RunId = input.RunId,
            Family = input.Family,
            Manifest = BlobLayout.Qualified(BlobLayout.RunsContainer, snapshot),
            ManifestVersion = new Contracts.Runs.PublishedManifest(read.ETag, manifestModified),
            Inputs = inputs.Select(i => i.Checkpoint).ToList(),
            InputVersions = versions,
            Sources = inputs.Select(i => i.Source).ToList(),
            Task = manifest.Task,
            Method = manifest.Merge.Method,
            Tensors = manifest.Merge.Tensors.Mode == TensorSelection.PatternsMode ? string.Join(", ", manifest.Merge.Tensors.Patterns) : manifest.Merge.Tensors.Mode,
            Learned = manifest.Merge.Descriptor.NeedsData,
            LearningRates = manifest.Candidates.LearningRates,
            Shards = ShardPlan.Split(layout, manifest.Shards),
            ModelBytes = layout.Sum(t => t.ByteCount),
            Baselines = manifest.Task == ManifestTasks.None ? [] : manifest.Evaluation.Baselines,
            AllowNonFinite = manifest.Merge.AllowNonFinite,
            RetrainEpochs = manifest.Task == ManifestTasks.None ? 0 : manifest.RetrainEpochs,
            DecidingMetric = manifest.Task == ManifestTasks.None ? null : manifest.Promotion.Metric ?? manifest.Evaluation.Metrics[0],
        };
    }

    // The family's published model, when it can compete: its blobs still exist and it has the inputs' architecture. A
    // champion that cannot be evaluated any more (its run folder purged, another architecture) is no reason to fail the
    // run: the decision goes on without it, and the note says why.
    private async Task<(Contracts.Runs.PublishedRun? Champion, string? Note)> ChampionAsync(string family, (string Name, IReadOnlyList<TensorSpec> Tensors) layout,
        CancellationToken cancellationToken)
    {
        if ((await storage.ReadLatestAsync(family, cancellationToken).ConfigureAwait(false))?.Run is not { } champion)
        {
            return (null, null);
        }

        foreach (var member in champion.Ensemble ?? [champion.Model])
        {
            try
            {
                var (container, name) = BlobLayout.Split(member);
                var folder = name[..(name.LastIndexOf('/') + 1)];
                var etags = (await storage.ListAsync(container, folder, cancellationToken).ConfigureAwait(false)).ToDictionary(b => b.Name, b => b.ETag, StringComparer.Ordinal);
                var tensors = await LayoutAsync(member, etags, cancellationToken).ConfigureAwait(false);
                if (ArchitectureCheck.Differences([layout, (member, tensors)]).Count > 0)
                {
                    return (null, $"the published model ({champion.RunId}, {member}) has another architecture than the inputs: it was not evaluated again");
                }
            }
            catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or CheckpointFormatException or InvalidDataException
                or Azure.RequestFailedException)
            {
                return (null, $"the published model ({champion.RunId}, {member}) cannot be read any more ({e.Message}): it was not evaluated again");
            }
        }

        return (champion, null);
    }

    // The versions every job reads the input's blobs at: the ones its headers were just read under.
    private static void Pin(Dictionary<string, InputVersion> versions, string container, IReadOnlyDictionary<string, string> etags,
        IReadOnlyDictionary<string, string>? contentIds)
    {
        foreach (var (name, etag) in etags)
        {
            versions[BlobLayout.Qualified(container, name)] = new InputVersion(etag, contentIds?.GetValueOrDefault(name));
        }
    }

    // A selection that matches no tensor would publish model A unchanged under the name of an integration. The task's
    // head is known only to the compute jobs: the orchestrator checks what the splice jobs selected instead.
    private static void EnsureSomethingSelected(TensorSelection selection, IReadOnlyList<TensorSpec> layout, string manifest)
    {
        var floating = layout.Where(t => t.Dtype.IsFloatingPoint()).ToList();
        if (selection.Mode != TensorSelection.HeadMode && floating.Count == 0)
        {
            throw new InvalidOperationException($"{manifest}: merge.tensors: the models have no floating-point tensor to integrate.");
        }

        if (selection.Mode == TensorSelection.PatternsMode && !floating.Any(t => selection.Matches(t.Name)))
        {
            throw new InvalidOperationException($"{manifest}: merge.tensors: no floating-point tensor matches {string.Join(", ", selection.Patterns)} " +
                $"(the models' tensors start with {string.Join(", ", floating.Take(3).Select(t => t.Name))}).");
        }
    }

    // The ETags to read an input's headers under: the ones the run was started with, except for a file uploaded again
    // since with the same content (same Content-MD5): the run id is the same, so no other run would pick it up.
    private async Task<IReadOnlyDictionary<string, string>> CurrentETagsAsync(Contracts.Runs.RunInput input, CancellationToken cancellationToken)
    {
        if (input.ContentIds is null)
        {
            return input.ETags;
        }

        var (container, name) = BlobLayout.Split(input.Checkpoint);
        var folder = name[..(name.LastIndexOf('/') + 1)];
        var current = (await storage.ListAsync(container, folder, cancellationToken).ConfigureAwait(false)).ToDictionary(b => b.Name, StringComparer.Ordinal);
        return input.ETags.ToDictionary(e => e.Key, e =>
            current.TryGetValue(e.Key, out var now) && now.ETag != e.Value && input.ContentIds.TryGetValue(e.Key, out var id)
                && id.StartsWith("md5:", StringComparison.Ordinal) && Runs.ContentIds.Of(now) == id
                ? now.ETag
                : e.Value, StringComparer.Ordinal);
    }

    // Every tensor of a checkpoint, from headers only: the file's, or every shard's of an index.
    private async Task<IReadOnlyList<TensorSpec>> LayoutAsync(string checkpoint, IReadOnlyDictionary<string, string> etags, CancellationToken cancellationToken)
    {
        var (container, name) = BlobLayout.Split(checkpoint);
        string Tag(string blob) => etags.TryGetValue(blob, out var etag) ? etag
            : throw new InvalidOperationException($"{container}/{blob}: not among the blobs the run was started with.");
        if (!name.EndsWith(CheckpointFileNames.ShardIndex, StringComparison.Ordinal))
        {
            return (await storage.ReadHeaderAsync(container, name, Tag(name), cancellationToken).ConfigureAwait(false)).Tensors.Select(t => t.Spec).ToList();
        }

        var read = await storage.ReadSmallAsync(container, name, ShardIndex.MaxLength, cancellationToken).ConfigureAwait(false)
            ?? throw new FileNotFoundException($"{checkpoint}: no such blob.");
        var index = ShardIndex.Parse(checkpoint, read.Content);
        var folder = name[..(name.LastIndexOf('/') + 1)];
        var tensors = new List<TensorSpec>();
        foreach (var shard in index.Shards)
        {
            var header = await storage.ReadHeaderAsync(container, folder + shard, Tag(folder + shard), cancellationToken).ConfigureAwait(false);
            tensors.AddRange(header.Tensors.Select(t => t.Spec));
        }

        return tensors;
    }
}
