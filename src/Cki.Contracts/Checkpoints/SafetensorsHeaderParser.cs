using System.Text.Unicode;
using System.Text.Json;

namespace Cki.Contracts.Checkpoints;

/// <summary>
/// Parses and validates a safetensors JSON header. Every rule of the format is checked here, once, and a broken
/// rule is a <see cref="CheckpointFormatException"/> naming the file, the tensor and what was expected.
/// </summary>
public static class SafetensorsHeaderParser
{
    /// <summary>The largest header accepted: 100 MB, as the reference implementation allows.</summary>
    public const long MaxHeaderLength = 100_000_000;

    /// <summary>More dimensions than this is not a model tensor but a corrupt header.</summary>
    public const int MaxRank = 64;

    private const string MetadataKey = "__metadata__";

    /// <summary>
    /// Parses <paramref name="json"/>, the header of <paramref name="file"/>, whose data buffer holds
    /// <paramref name="bufferLength"/> bytes.
    /// </summary>
    public static SafetensorsHeader Parse(string file, ReadOnlySpan<byte> json, long bufferLength)
    {
        if (!Utf8.IsValid(json))
        {
            throw new CheckpointFormatException(file, CheckpointRule.InvalidUtf8,
                $"the header is not valid UTF-8 (first bad byte at header offset {FirstInvalidUtf8(json)}).");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var tensors = new List<TensorEntry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8, CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            Expect(file, ref reader, JsonTokenType.StartObject, "the header to be a JSON object");
            while (Next(ref reader) != JsonTokenType.EndObject)
            {
                var name = reader.GetString()!;
                if (name == MetadataKey)
                {
                    ReadMetadata(file, ref reader, metadata);
                    continue;
                }

                if (!names.Add(name))
                {
                    throw new CheckpointFormatException(file, CheckpointRule.DuplicateName, "the name appears more than once in the header.", name);
                }

                tensors.Add(ReadTensor(file, name, ref reader));
            }

            if (reader.Read())
            {
                throw new CheckpointFormatException(file, CheckpointRule.InvalidJson, "content follows the header object.");
            }
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException(file, CheckpointRule.InvalidJson,
                $"the header is not valid JSON at header byte {reader.BytesConsumed}: {e.Message}", inner: e);
        }

        tensors.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        CheckCoverage(file, tensors, bufferLength);
        return new SafetensorsHeader(tensors, metadata, json.Length);
    }

    private static void ReadMetadata(string file, ref Utf8JsonReader reader, Dictionary<string, string> metadata)
    {
        Expect(file, ref reader, JsonTokenType.StartObject, "__metadata__ to be an object of strings");
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            if (Next(ref reader) != JsonTokenType.String)
            {
                throw new CheckpointFormatException(file, CheckpointRule.InvalidField, $"__metadata__ value of '{key}' must be a string.");
            }

            if (!metadata.TryAdd(key, reader.GetString()!))
            {
                throw new CheckpointFormatException(file, CheckpointRule.DuplicateName, $"__metadata__ key '{key}' appears more than once.");
            }
        }
    }

    private static TensorEntry ReadTensor(string file, string name, ref Utf8JsonReader reader)
    {
        Expect(file, ref reader, JsonTokenType.StartObject, $"tensor '{name}' to be an object", name);
        string? dtypeName = null;
        List<long>? shape = null;
        List<long>? offsets = null;
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            var field = reader.GetString();
            switch (field)
            {
                case "dtype":
                    if (Next(ref reader) != JsonTokenType.String)
                    {
                        throw Field(file, name, "dtype must be a string.");
                    }

                    dtypeName = reader.GetString();
                    break;
                case "shape":
                    shape = ReadIntegers(file, name, "shape", ref reader, MaxRank);
                    break;
                case "data_offsets":
                    offsets = ReadIntegers(file, name, "data_offsets", ref reader, 2);
                    break;
                default:
                    throw Field(file, name, $"unknown field '{field}' (expected dtype, shape, data_offsets).");
            }
        }

        if (dtypeName is null || shape is null || offsets is null)
        {
            var missing = dtypeName is null ? "dtype" : shape is null ? "shape" : "data_offsets";
            throw Field(file, name, $"the field '{missing}' is missing.");
        }

        if (!TensorDtypes.TryParse(dtypeName, out var dtype))
        {
            throw new CheckpointFormatException(file, CheckpointRule.UnknownDtype,
                $"dtype '{dtypeName}' is not one of {string.Join(", ", Enum.GetNames<TensorDtype>())}.", name);
        }

        if (offsets.Count != 2)
        {
            throw Field(file, name, $"data_offsets must hold exactly 2 integers, not {offsets.Count}.");
        }

        var (begin, end) = (offsets[0], offsets[1]);
        if (begin > end)
        {
            throw Field(file, name, $"data_offsets [{begin}, {end}] begin after they end.");
        }

        var bytes = ByteCount(file, name, dtype, shape);
        if (bytes != end - begin)
        {
            throw new CheckpointFormatException(file, CheckpointRule.ShapeSizeMismatch,
                $"dtype {dtypeName} and shape [{string.Join(", ", shape)}] need {bytes} bytes, but data_offsets [{begin}, {end}] hold {end - begin}.", name);
        }

        return new TensorEntry(new TensorSpec(name, dtype, shape), begin, end);
    }

    private static long ByteCount(string file, string name, TensorDtype dtype, List<long> shape)
    {
        try
        {
            long count = dtype.ElementSize();
            foreach (var dim in shape)
            {
                count = checked(count * dim);
            }

            return count;
        }
        catch (OverflowException)
        {
            throw new CheckpointFormatException(file, CheckpointRule.ShapeOverflow,
                $"the byte size of shape [{string.Join(", ", shape)}] overflows 64 bits.", name);
        }
    }

    private static List<long> ReadIntegers(string file, string name, string field, ref Utf8JsonReader reader, int maxCount)
    {
        if (Next(ref reader) != JsonTokenType.StartArray)
        {
            throw Field(file, name, $"{field} must be an array of non-negative integers.");
        }

        var values = new List<long>();
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value) || value < 0)
            {
                throw Field(file, name, $"{field}[{values.Count}] must be a non-negative 64-bit integer.");
            }

            if (values.Count == maxCount)
            {
                throw Field(file, name, $"{field} has more than {maxCount} entries.");
            }

            values.Add(value);
        }

        return values;
    }

    private static void CheckCoverage(string file, List<TensorEntry> tensors, long bufferLength)
    {
        long expected = 0;
        TensorEntry? previous = null;
        foreach (var tensor in tensors)
        {
            if (tensor.Begin < expected)
            {
                throw new CheckpointFormatException(file, CheckpointRule.OffsetsOverlap,
                    $"bytes [{tensor.Begin}, {tensor.End}) overlap tensor '{previous!.Name}' [{previous.Begin}, {previous.End}).", tensor.Name);
            }

            if (tensor.Begin > expected)
            {
                var after = previous is null ? "the start of the data buffer" : $"tensor '{previous.Name}' ends at {expected}";
                throw new CheckpointFormatException(file, CheckpointRule.OffsetsGap,
                    $"starts at byte {tensor.Begin}, but {after}: bytes [{expected}, {tensor.Begin}) belong to no tensor.", tensor.Name);
            }

            if (tensor.End > bufferLength)
            {
                throw new CheckpointFormatException(file, CheckpointRule.Truncated,
                    $"data ends at buffer byte {tensor.End}, but the file holds only {bufferLength} bytes of data.", tensor.Name);
            }

            expected = tensor.End;
            previous = tensor;
        }

        if (expected != bufferLength)
        {
            throw new CheckpointFormatException(file, CheckpointRule.BufferNotCovered,
                $"the tensors cover {expected} bytes of data, but the data buffer holds {bufferLength}: {bufferLength - expected} bytes belong to no tensor.");
        }
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("the header ends inside an object or array.");
        }

        return reader.TokenType;
    }

    private static void Expect(string file, ref Utf8JsonReader reader, JsonTokenType type, string what, string? tensor = null)
    {
        if (Next(ref reader) != type)
        {
            throw new CheckpointFormatException(file, tensor is null ? CheckpointRule.InvalidJson : CheckpointRule.InvalidField,
                $"expected {what}, found {reader.TokenType}.", tensor);
        }
    }

    private static CheckpointFormatException Field(string file, string tensor, string detail) =>
        new(file, CheckpointRule.InvalidField, detail, tensor);

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return offset;
    }
}
