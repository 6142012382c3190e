using System.Text;
using Cki.Contracts.Checkpoints;
using Cki.Contracts.Manifests;
using Cki.Contracts.Runs;
using Cki.Contracts.Storage;
using Cki.Workflow.Storage;

namespace Cki.Workflow.Runs;

/// <summary>
/// Finds a family's current input set from a listing: the manifest's version and, per source, the newest version
/// folder (by name) that holds a complete checkpoint (<c>model.safetensors</c>, or an index whose shards are all
/// there). Blobs may land in any order: until every source is complete, the family is not ready, and the reason names
/// what the newest version of each incomplete source lacks (down to the shard file).
/// </summary>
public sealed class InputResolver(WorkflowStorage storage)
{
    /// <summary>Resolves <paramref name="family"/>.</summary>
    public async Task<FamilyInputs> ResolveAsync(string family, CancellationToken cancellationToken)
    {
        var manifestName = BlobLayout.FamilyManifest(family);
        var listing = await storage.ListAsync(BlobLayout.CheckpointsContainer, $"{family}/", cancellationToken).ConfigureAwait(false);
        if (listing.FirstOrDefault(b => b.Name == manifestName) is not { } manifestBlob)
        {
            return NotReady(family, $"no manifest {BlobLayout.CheckpointsContainer}/{manifestName} yet");
        }

        var files = Files(listing);
        var manifest = await ReadManifestAsync(manifestName, cancellationToken).ConfigureAwait(false);
        if (manifest is null)
        {
            return NotReady(family, $"no manifest {BlobLayout.CheckpointsContainer}/{manifestName} yet");
        }

        var (content, etag) = manifest.Value;
        if (content is null)
        {
            // Over the size limit: the run's validation fails reading it, naming the limit.
            return await ForTheRunToReportAsync(family, files, manifestBlob.ETag, ContentIds.Of(manifestBlob),
                $"{BlobLayout.CheckpointsContainer}/{manifestName} is {manifestBlob.Length} bytes, over the limit of {FamilyManifestParser.MaxManifestBytes}", cancellationToken)
                .ConfigureAwait(false);
        }

        FamilyManifest parsed;
        try
        {
            parsed = FamilyManifestParser.Parse(Encoding.UTF8.GetString(content), $"{BlobLayout.CheckpointsContainer}/{manifestName}");
        }
        catch (ManifestException e)
        {
            // Start the run anyway: its validation fails with the file, line and field, where the user looks.
            return await ForTheRunToReportAsync(family, files, etag, ContentIds.Of(content), e.Message, cancellationToken).ConfigureAwait(false);
        }

        var inputs = new List<RunInput>();
        var missing = new List<string>();
        foreach (var source in parsed.Sources)
        {
            var (input, lacking) = await NewestCompleteAsync(family, source, files, cancellationToken).ConfigureAwait(false);
            if (input is not null)
            {
                inputs.Add(input);
            }
            else
            {
                missing.Add($"{BlobLayout.CheckpointsContainer}/{BlobLayout.SourcePrefix(family, source)} ({lacking})");
            }
        }

        var nightly = parsed.Schedule == ScheduleMode.Nightly;
        return missing.Count == 0
            ? new FamilyInputs(family, true, null, etag, inputs, nightly, ContentIds.Of(content))
            : new FamilyInputs(family, false, "waiting for a complete checkpoint (model.safetensors, or an index with all its shards) of " +
                string.Join(", ", missing), etag, inputs, nightly, ContentIds.Of(content));
    }

    /// <summary>
    /// What the newest version of <paramref name="source"/> lacks (e.g. a shard file its index lists), or
    /// <c>complete</c>: for errors about a source that has no complete checkpoint.
    /// </summary>
    public async Task<string> LackingAsync(string family, string source, CancellationToken cancellationToken)
    {
        var files = Files(await storage.ListAsync(BlobLayout.CheckpointsContainer, BlobLayout.SourcePrefix(family, source), cancellationToken).ConfigureAwait(false));
        var (input, lacking) = await NewestCompleteAsync(family, source, files, cancellationToken).ConfigureAwait(false);
        return input is null ? lacking : "complete";
    }

    /// <summary>The families that have a manifest.</summary>
    public async Task<IReadOnlyList<string>> FamiliesAsync(CancellationToken cancellationToken)
    {
        var listing = await storage.ListAsync(BlobLayout.CheckpointsContainer, null, cancellationToken).ConfigureAwait(false);
        return listing.Select(b => b.Name.Split('/')).Where(p => p.Length == 2 && p[1] == "cki.yaml").Select(p => p[0]).ToList();
    }

    // A family whose manifest cannot be used still starts a run, so that its validation fails with the reason where users
    // look (a failed run, once per manifest version): without a source order, the complete checkpoints by source name.
    private async Task<FamilyInputs> ForTheRunToReportAsync(string family, List<(string Source, string Version, string File, BlobItemInfo Blob)> files,
        string manifestETag, string manifestContentId, string problem, CancellationToken cancellationToken)
    {
        var found = new List<RunInput>();
        foreach (var source in files.Select(f => f.Source).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if ((await NewestCompleteAsync(family, source, files, cancellationToken).ConfigureAwait(false)).Input is { } input)
            {
                found.Add(input);
            }
        }

        return new FamilyInputs(family, true, null, manifestETag, found, Nightly: false, manifestContentId, problem);
    }

    // The manifest's bytes and ETag; null bytes when it is over the size limit (the run reports that); null when it is gone.
    private async Task<(byte[]? Content, string ETag)?> ReadManifestAsync(string manifestName, CancellationToken cancellationToken)
    {
        try
        {
            return await storage.ReadSmallAsync(BlobLayout.CheckpointsContainer, manifestName, FamilyManifestParser.MaxManifestBytes, cancellationToken)
                .ConfigureAwait(false) is { } read ? (read.Content, read.ETag) : null;
        }
        catch (InvalidDataException)
        {
            return (null, "");
        }
    }

    // The newest complete version of a source, or why the newest version is not complete.
    private async Task<(RunInput? Input, string Lacking)> NewestCompleteAsync(string family, string source,
        List<(string Source, string Version, string File, BlobItemInfo Blob)> files, CancellationToken cancellationToken)
    {
        string? lacking = null;
        foreach (var version in files.Where(f => f.Source == source).Select(f => f.Version).Distinct(StringComparer.Ordinal).OrderDescending(VersionOrder.Instance))
        {
            var inVersion = files.Where(f => f.Source == source && f.Version == version).ToDictionary(f => f.File, f => f.Blob, StringComparer.Ordinal);
            var folder = Qualified(BlobLayout.CheckpointVersionPrefix(family, source, version));
            if (inVersion.TryGetValue(CheckpointFileNames.SingleFile, out var single))
            {
                return (new RunInput(source, version, Qualified(single.Name), new Dictionary<string, string> { [single.Name] = single.ETag }, single.LastModified,
                    new Dictionary<string, string> { [single.Name] = ContentIds.Of(single) }), "");
            }

            if (!inVersion.TryGetValue(CheckpointFileNames.ShardIndex, out var index))
            {
                lacking ??= $"{folder} has neither {CheckpointFileNames.SingleFile} nor {CheckpointFileNames.ShardIndex}";
                continue;
            }

            var read = await ReadIndexAsync(index.Name, cancellationToken).ConfigureAwait(false);
            if (read is null)
            {
                lacking ??= $"{Qualified(index.Name)} is gone";
                continue;
            }

            var parsed = Parse(index.Name, read.Value.Content);
            if (parsed is null)
            {
                // A broken or oversized index is the run's to report; it is still this version's checkpoint.
                return (new RunInput(source, version, Qualified(index.Name), new Dictionary<string, string> { [index.Name] = read.Value.ETag ?? index.ETag },
                    index.LastModified, new Dictionary<string, string> { [index.Name] = read.Value.Content is { } bytes ? ContentIds.Of(bytes) : ContentIds.Of(index) }), "");
            }

            var absent = parsed.Shards.Where(s => !inVersion.ContainsKey(s)).ToList();
            if (absent.Count == 0)
            {
                var etags = parsed.Shards.ToDictionary(s => inVersion[s].Name, s => inVersion[s].ETag, StringComparer.Ordinal);
                etags[index.Name] = read.Value.ETag!;
                var ids = parsed.Shards.ToDictionary(s => inVersion[s].Name, s => ContentIds.Of(inVersion[s]), StringComparer.Ordinal);
                ids[index.Name] = ContentIds.Of(read.Value.Content!);
                return (new RunInput(source, version, Qualified(index.Name), etags, parsed.Shards.Select(s => inVersion[s].LastModified).Append(index.LastModified).Max(), ids), "");
            }

            lacking ??= $"{string.Join(", ", absent.Select(s => folder + s))} listed in {Qualified(index.Name)} but absent";
        }

        return (null, lacking ?? "no version folder yet");
    }

    // An index's bytes and ETag; null bytes when it is over the size limit; null when it is gone.
    private async Task<(byte[]? Content, string? ETag)?> ReadIndexAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await storage.ReadSmallAsync(BlobLayout.CheckpointsContainer, name, ShardIndex.MaxLength, cancellationToken).ConfigureAwait(false) is { } read
                ? (read.Content, read.ETag) : null;
        }
        catch (InvalidDataException)
        {
            return (null, null);
        }
    }

    private static List<(string Source, string Version, string File, BlobItemInfo Blob)> Files(IEnumerable<BlobItemInfo> listing) => listing
        .Select(b => BlobLayout.TryParseCheckpointFile(b.Name, out _, out var source, out var version, out var file) ? (source, version, file, b) : default)
        .Where(f => f.b is not null)
        .ToList();

    private static ShardIndex? Parse(string name, byte[]? json)
    {
        try
        {
            return json is null ? null : ShardIndex.Parse(Qualified(name), json);
        }
        catch (CheckpointFormatException)
        {
            return null;
        }
    }

    private static string Qualified(string name) => BlobLayout.Qualified(BlobLayout.CheckpointsContainer, name);

    private static FamilyInputs NotReady(string family, string reason) => new(family, false, reason, "", [], false);
}
