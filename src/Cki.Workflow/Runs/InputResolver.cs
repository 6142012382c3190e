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
/// there). Blobs may land in any order: until every source is complete, the family is not ready.
/// </summary>
public sealed class InputResolver(WorkflowStorage storage)
{
    /// <summary>Resolves <paramref name="family"/>.</summary>
    public async Task<FamilyInputs> ResolveAsync(string family, CancellationToken cancellationToken)
    {
        var manifestName = BlobLayout.FamilyManifest(family);
        var manifest = await storage.ReadSmallAsync(BlobLayout.CheckpointsContainer, manifestName, FamilyManifestParser.MaxManifestBytes, cancellationToken)
            .ConfigureAwait(false);
        if (manifest is null)
        {
            return NotReady(family, $"no manifest {BlobLayout.CheckpointsContainer}/{manifestName} yet");
        }

        var (content, etag) = manifest.Value;
        var listing = await storage.ListAsync(BlobLayout.CheckpointsContainer, $"{family}/", cancellationToken).ConfigureAwait(false);
        var files = listing
            .Select(b => BlobLayout.TryParseCheckpointFile(b.Name, out _, out var source, out var version, out var file) ? (source, version, file, b) : default)
            .Where(f => f.b is not null)
            .ToList();
        FamilyManifest parsed;
        try
        {
            parsed = FamilyManifestParser.Parse(Encoding.UTF8.GetString(content), $"{BlobLayout.CheckpointsContainer}/{manifestName}");
        }
        catch (ManifestException)
        {
            // Start the run anyway: its validation fails with the file, line and field, where the user looks.
            var found = new List<RunInput>();
            foreach (var source in files.Select(f => f.source).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                if (await NewestCompleteAsync(family, source, files, cancellationToken).ConfigureAwait(false) is { } input)
                {
                    found.Add(input);
                }
            }

            return new FamilyInputs(family, true, null, etag, found, Nightly: false);
        }

        var inputs = new List<RunInput>();
        var missing = new List<string>();
        foreach (var source in parsed.Sources)
        {
            if (await NewestCompleteAsync(family, source, files, cancellationToken).ConfigureAwait(false) is { } input)
            {
                inputs.Add(input);
            }
            else
            {
                missing.Add(source);
            }
        }

        var nightly = parsed.Schedule == ScheduleMode.Nightly;
        return missing.Count == 0
            ? new FamilyInputs(family, true, null, etag, inputs, nightly)
            : new FamilyInputs(family, false, "waiting for a complete checkpoint (model.safetensors, or an index with all its shards) of " +
                string.Join(", ", missing.Select(m => $"{BlobLayout.CheckpointsContainer}/{family}/{m}/")), etag, inputs, nightly);
    }

    /// <summary>The families that have a manifest.</summary>
    public async Task<IReadOnlyList<string>> FamiliesAsync(CancellationToken cancellationToken)
    {
        var listing = await storage.ListAsync(BlobLayout.CheckpointsContainer, null, cancellationToken).ConfigureAwait(false);
        return listing.Select(b => b.Name.Split('/')).Where(p => p.Length == 2 && p[1] == "cki.yaml").Select(p => p[0]).ToList();
    }

    private async Task<RunInput?> NewestCompleteAsync(string family, string source,
        List<(string Source, string Version, string File, BlobItemInfo Blob)> files, CancellationToken cancellationToken)
    {
        foreach (var version in files.Where(f => f.Source == source).Select(f => f.Version).Distinct(StringComparer.Ordinal).OrderDescending(StringComparer.Ordinal))
        {
            var inVersion = files.Where(f => f.Source == source && f.Version == version).ToDictionary(f => f.File, f => f.Blob, StringComparer.Ordinal);
            if (inVersion.TryGetValue(CheckpointFileNames.SingleFile, out var single))
            {
                return new RunInput(source, version, Qualified(single.Name), new Dictionary<string, string> { [single.Name] = single.ETag }, single.LastModified);
            }

            if (inVersion.TryGetValue(CheckpointFileNames.ShardIndex, out var index))
            {
                var read = await storage.ReadSmallAsync(BlobLayout.CheckpointsContainer, index.Name, ShardIndex.MaxLength, cancellationToken).ConfigureAwait(false);
                if (read is null)
                {
                    continue;
                }

                ShardIndex parsed;
                try
                {
                    parsed = ShardIndex.Parse($"{BlobLayout.CheckpointsContainer}/{index.Name}", read.Value.Content);
                }
                catch (CheckpointFormatException)
                {
                    // A broken index is the run's to report; it is still this version's checkpoint.
                    return new RunInput(source, version, Qualified(index.Name), new Dictionary<string, string> { [index.Name] = read.Value.ETag }, index.LastModified);
                }

                if (parsed.Shards.All(inVersion.ContainsKey))
                {
                    var etags = parsed.Shards.ToDictionary(s => inVersion[s].Name, s => inVersion[s].ETag, StringComparer.Ordinal);
                    etags[index.Name] = read.Value.ETag;
                    return new RunInput(source, version, Qualified(index.Name), etags, parsed.Shards.Select(s => inVersion[s].LastModified).Append(index.LastModified).Max());
                }
            }
        }

        return null;
    }

    private static string Qualified(string name) => BlobLayout.Qualified(BlobLayout.CheckpointsContainer, name);

    private static FamilyInputs NotReady(string family, string reason) => new(family, false, reason, "", [], false);
}
