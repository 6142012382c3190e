using Cki.Compute.Checkpoints;
using Cki.Contracts.Storage;

namespace Cki.Compute.Merging;

/// <summary>
/// Where a merge writes: the model (one named file, or a folder that may hold shards), its compatibility map and
/// its summary. <c>out/merged.safetensors</c> gives <c>out/merged.compatibility.safetensors</c> and
/// <c>out/merged.compatibility.json</c> beside it; a folder gets <c>compatibility.safetensors</c> and
/// <c>compatibility.json</c> inside it.
/// </summary>
/// <param name="Folder">The folder (or blob prefix) everything goes into.</param>
/// <param name="ModelFileName">The model's file name when it is one file.</param>
/// <param name="MapFileName">The compatibility map's file name.</param>
/// <param name="SummaryFileName">The summary's file name.</param>
/// <param name="Sharded">Whether the model may be split into shards (folder outputs only).</param>
public sealed record MergeOutputLocation(string Folder, string ModelFileName, string MapFileName, string SummaryFileName, bool Sharded)
{
    /// <summary>Reads an <c>output:</c> value: a path or URL ending in <c>.safetensors</c> is one file, anything else a folder.</summary>
    public static MergeOutputLocation From(string output)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(output);
        if (!output.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            return new MergeOutputLocation(output, CheckpointFileNames.SingleFile, CheckpointFileNames.CompatibilityMap,
                CheckpointFileNames.CompatibilitySummary, Sharded: true);
        }

        var file = BlobClients.IsUrl(output) ? new Uri(output).Segments[^1] : Path.GetFileName(output);
        var folder = BlobClients.IsUrl(output) ? output[..^file.Length] : Path.GetDirectoryName(Path.GetFullPath(output))!;
        return new MergeOutputLocation(folder, file, CheckpointFileNames.CompatibilityMapBeside(file),
            CheckpointFileNames.CompatibilitySummaryBeside(file), Sharded: false);
    }

    /// <summary>The full location of <paramref name="fileName"/> in <see cref="Folder"/>.</summary>
    public string Resolve(string fileName) =>
        BlobClients.IsUrl(Folder) ? Folder.TrimEnd('/') + "/" + fileName : Path.Combine(Folder, fileName);
}
