using Cki.Compute.Checkpoints;
using Cki.Contracts.Storage;

namespace Cki.Compute.Merging;

/// <summary>
/// The files beside model A that Hugging Face tools read next to the weights (model config, tokenizer, generation
/// config), copied into a merge's output folder: only these names, each at most <see cref="MaxBytes"/>, never over
/// a file the merge itself wrote.
/// </summary>
public static class CompanionFiles
{
    /// <summary>The largest file copied; a larger one is left out with a log line.</summary>
    public const long MaxBytes = CheckpointFileNames.MaxCompanionBytes;

    /// <summary>The names copied, when model A has them.</summary>
    public static IReadOnlyList<string> Names => CheckpointFileNames.Companions;

    /// <summary>
    /// Copies the companions found beside the model at <paramref name="modelA"/> (a file or shard index, local or
    /// blob) into <paramref name="output"/>'s folder; returns where they went. <paramref name="log"/> hears of files left out.
    /// </summary>
    public static IReadOnlyList<string> Copy(string modelA, MergeOutputLocation output, CheckpointLocations locations, Action<string>? log,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelA);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(locations);
        var merged = new[] { output.ModelFileName, output.MapFileName, output.SummaryFileName, CheckpointFileNames.ShardIndex };
        var copied = new List<string>();
        foreach (var name in Names.Where(n => !merged.Contains(n, StringComparer.OrdinalIgnoreCase)))
        {
            var from = Beside(modelA, name);
            var to = output.Resolve(name);
            if (string.Equals(PathOf(from), PathOf(to), StringComparison.Ordinal) || Read(locations, from, log, cancellationToken) is not { } bytes)
            {
                continue;
            }

            using var sink = locations.OpenWrite(to);
            sink.Write(bytes, cancellationToken);
            sink.Commit(cancellationToken);
            copied.Add(to);
        }

        return copied;
    }

    private static byte[]? Read(CheckpointLocations locations, string location, Action<string>? log, CancellationToken cancellationToken)
    {
        IByteSource source;
        try
        {
            source = locations.OpenRead(location, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        using (source)
        {
            if (source.Length > MaxBytes)
            {
                log?.Invoke($"{source.Name}: {source.Length} bytes, over the {MaxBytes >> 20} MB copied beside the model; left out");
                return null;
            }

            var bytes = new byte[source.Length];
            source.ReadExactly(0, bytes, cancellationToken);
            return bytes;
        }
    }

    // A model given as a folder holds its companions; one given as a file or index has them beside it.
    private static string Beside(string modelA, string name)
    {
        var isFolder = !modelA.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) && !modelA.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        return !isFolder ? CheckpointLocations.Sibling(modelA, name)
            : BlobClients.IsUrl(modelA) ? modelA.TrimEnd('/') + "/" + name : Path.Combine(modelA, name);
    }

    // Where a location points, without a SAS or other query, so that a copy onto itself is skipped.
    private static string PathOf(string location) =>
        BlobClients.IsUrl(location) ? Uri.UnescapeDataString(new Uri(location).GetLeftPart(UriPartial.Path)) : Path.GetFullPath(location);
}
