using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cki.Contracts.Jobs;

/// <summary>The one JSON form of specs, results and run documents: snake_case names, indented, bounded on read.</summary>
public static class JobJson
{
    /// <summary>The largest spec or result accepted, in bytes.</summary>
    public const int MaxDocumentBytes = 16 << 20;

    /// <summary>The serializer options every run document uses.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        AllowOutOfOrderMetadataProperties = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Serializes a run document.</summary>
    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>Reads a run document; a clear error naming <paramref name="name"/> when it is not one.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> json, string name)
    {
        if (json.Length > MaxDocumentBytes)
        {
            throw new InvalidDataException($"{name}: {json.Length} bytes, over the limit of {MaxDocumentBytes} for a run document.");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"{name}: the document is null.");
        }
        // A polymorphic document without its "kind" is a NotSupportedException, not a JsonException, in System.Text.Json.
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw new InvalidDataException($"{name}: not a valid {typeof(T).Name}: {e.Message}", e);
        }
    }
}
