using System.Globalization;

namespace Cki.Contracts.Storage;

/// <summary>
/// File names inside one checkpoint version (a folder or a blob prefix): the single-file name, the shard names
/// and the shard index, as the Hugging Face convention spells them.
/// </summary>
public static class CheckpointFileNames
{
    /// <summary>The name of an unsharded checkpoint.</summary>
    public const string SingleFile = "model.safetensors";

    /// <summary>The name of the index that maps tensor names to shard files.</summary>
    public const string ShardIndex = "model.safetensors.index.json";

    /// <summary>The compatibility map of a merged model written as a folder.</summary>
    public const string CompatibilityMap = "compatibility.safetensors";

    /// <summary>The per-tensor compatibility summary of a merged model written as a folder.</summary>
    public const string CompatibilitySummary = "compatibility.json";

    /// <summary>
    /// The files beside a model that Hugging Face tools read with it (model config, tokenizer, generation config);
    /// a merge copies model A's into its output.
    /// </summary>
    public static IReadOnlyList<string> Companions { get; } =
        ["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"];

    /// <summary>The largest companion file copied with a model.</summary>
    public const long MaxCompanionBytes = 64L << 20;

    /// <summary>The compatibility map beside a merged model written as one named file: <c>{stem}.compatibility.safetensors</c>.</summary>
    public static string CompatibilityMapBeside(string modelFileName) => $"{Stem(modelFileName)}.{CompatibilityMap}";

    /// <summary>The compatibility summary beside a merged model written as one named file: <c>{stem}.compatibility.json</c>.</summary>
    public static string CompatibilitySummaryBeside(string modelFileName) => $"{Stem(modelFileName)}.{CompatibilitySummary}";

    /// <summary>
    /// The downsampled compatibility heatmaps beside a merged shard: <c>{stem}.heatmap.json</c> (see
    /// <see cref="Runs.CompatibilityHeatmaps"/>).
    /// </summary>
    public static string HeatmapsBeside(string modelFileName) => Stem(modelFileName) + HeatmapsSuffix;

    /// <summary>The plot of each model's share per spliced tensor beside a merged shard: <c>{stem}.compatibility.png</c>.</summary>
    public static string CompatibilityPlotBeside(string modelFileName) => $"{Stem(modelFileName)}.compatibility.png";

    /// <summary>The ending of every heatmaps file name (<see cref="HeatmapsBeside"/>).</summary>
    public const string HeatmapsSuffix = ".heatmap.json";

    private static string Stem(string fileName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        return fileName.EndsWith(".safetensors", StringComparison.Ordinal) ? fileName[..^".safetensors".Length] : fileName;
    }

    /// <summary>The name of shard <paramref name="number"/> (1-based) of <paramref name="count"/>.</summary>
    public static string Shard(int number, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, count);
        return string.Create(CultureInfo.InvariantCulture, $"model-{number:D5}-of-{count:D5}.safetensors");
    }
}
