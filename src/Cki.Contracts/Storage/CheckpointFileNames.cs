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

    /// <summary>The name of shard <paramref name="number"/> (1-based) of <paramref name="count"/>.</summary>
    public static string Shard(int number, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, count);
        return string.Create(CultureInfo.InvariantCulture, $"model-{number:D5}-of-{count:D5}.safetensors");
    }
}
