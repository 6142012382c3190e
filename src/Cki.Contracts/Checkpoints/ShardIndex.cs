using System.Text.Json;
using System.Text.Json.Nodes;
using Cki.Contracts.Storage;

namespace Cki.Contracts.Checkpoints;

/// <summary>
/// <c>model.safetensors.index.json</c>: which shard holds each tensor (<c>weight_map</c>) and the total data size
/// (<c>metadata.total_size</c>).
/// </summary>
/// <param name="WeightMap">Tensor name to shard file name.</param>
/// <param name="TotalSize">Sum of the tensors' byte sizes, when the index states it.</param>
/// <param name="Metadata">Other string entries of <c>metadata</c> (provenance).</param>
public sealed record ShardIndex(
    IReadOnlyDictionary<string, string> WeightMap,
    long? TotalSize,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The largest index accepted, in bytes.</summary>
    public const long MaxLength = SafetensorsHeaderParser.MaxHeaderLength;

    /// <summary>The shard files in the order of their names (which is their number order).</summary>
    public IReadOnlyList<string> Shards => WeightMap.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>Whether a location names a shard index rather than a single file.</summary>
    public static bool IsIndex(string location) =>
        location.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase) ||
        location.EndsWith("/" + CheckpointFileNames.ShardIndex, StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads and validates an index from a source of at most <see cref="MaxLength"/> bytes.</summary>
    public static ShardIndex Read(IByteSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Length > MaxLength)
        {
            throw Invalid(source.Name, $"the index has {source.Length} bytes, over the limit of {MaxLength}.");
        }

        var bytes = new byte[source.Length];
        source.ReadExactly(0, bytes, cancellationToken);
        return Parse(source.Name, bytes);
    }

    /// <summary>Parses and validates index JSON.</summary>
    public static ShardIndex Parse(string file, ReadOnlySpan<byte> json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw Invalid(file, $"not valid JSON: {e.Message}", e);
        }

        if (root is not JsonObject obj || obj["weight_map"] is not JsonObject map)
        {
            throw Invalid(file, "expected an object with a 'weight_map' object of tensor name -> shard file.");
        }

        var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in map)
        {
            if (value is not JsonValue v || !v.TryGetValue<string>(out var shard) || !IsPlainFileName(shard))
            {
                throw Invalid(file, $"weight_map entry '{name}' must be a shard file name in the same folder (no '/' or '..').");
            }

            weightMap[name] = shard;
        }

        long? totalSize = null;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"] is JsonObject meta)
        {
            foreach (var (key, value) in meta)
            {
                if (key == "total_size")
                {
                    if (value is not JsonValue t || !t.TryGetValue<long>(out var size) || size < 0)
                    {
                        throw Invalid(file, "metadata.total_size must be a non-negative integer.");
                    }

                    totalSize = size;
                }
                else if (value is JsonValue s && s.TryGetValue<string>(out var text))
                {
                    metadata[key] = text;
                }
            }
        }

        return new ShardIndex(weightMap, totalSize, metadata);
    }

    /// <summary>The index as JSON, tensors in the given order.</summary>
    public byte[] ToJson()
    {
        var meta = new JsonObject();
        if (TotalSize is { } size)
        {
            meta["total_size"] = size;
        }

        foreach (var (key, value) in Metadata)
        {
            meta[key] = value;
        }

        var map = new JsonObject();
        foreach (var (name, shard) in WeightMap)
        {
            map[name] = shard;
        }

        var root = new JsonObject { ["metadata"] = meta, ["weight_map"] = map };
        return JsonSerializer.SerializeToUtf8Bytes(root, Indented);
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static bool IsPlainFileName(string name) =>
        name.Length > 0 && !name.Contains('/', StringComparison.Ordinal) && !name.Contains('\\', StringComparison.Ordinal) && name is not "." and not "..";

    private static CheckpointFormatException Invalid(string file, string detail, Exception? inner = null) =>
        new(file, CheckpointRule.InvalidIndex, detail, inner: inner);
}
