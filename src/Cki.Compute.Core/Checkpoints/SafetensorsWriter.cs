using System.Buffers.Binary;
using System.Text.Json;
using static TorchSharp.torch;

namespace Cki.Compute.Checkpoints;

/// <summary>
/// Writes one safetensors file tensor by tensor, in the order of its layout. The header is built up front from
/// the layout (names, dtypes, shapes), so no tensor has to be in memory before its turn.
/// </summary>
public sealed class SafetensorsWriter : IDisposable
{
    private const char Placeholder = '0';

    private readonly ICheckpointSink _sink;
    private readonly IReadOnlyList<TensorSpec> _layout;
    private readonly IReadOnlyDictionary<string, (long Offset, int Length)> _deferred;
    private int _next;

    private SafetensorsWriter(ICheckpointSink sink, IReadOnlyList<TensorSpec> layout, IReadOnlyDictionary<string, (long, int)> deferred)
    {
        _sink = sink;
        _layout = layout;
        _deferred = deferred;
    }

    /// <summary>The file or blob being written.</summary>
    public string Name => _sink.Name;

    /// <summary>The spec of the tensor expected next, or null when all are written.</summary>
    public TensorSpec? Next => _next < _layout.Count ? _layout[_next] : null;

    /// <summary>
    /// Starts a file of <paramref name="layout"/>; the writer owns <paramref name="sink"/>. Keys of
    /// <paramref name="deferred"/> are metadata whose values are known only at the end (their length is fixed
    /// now): they are given to <see cref="Commit"/> and patched into the header then.
    /// </summary>
    public static SafetensorsWriter Create(ICheckpointSink sink, IReadOnlyList<TensorSpec> layout, IReadOnlyDictionary<string, string>? metadata = null,
        IReadOnlyDictionary<string, int>? deferred = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(layout);
        try
        {
            var all = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            foreach (var (key, length) in deferred ?? new Dictionary<string, int>())
            {
                all[key] = new string(Placeholder, length);
            }

            var header = BuildHeader(layout, all);
            var offsets = new Dictionary<string, (long, int)>(StringComparer.Ordinal);
            foreach (var (key, length) in deferred ?? new Dictionary<string, int>())
            {
                var needle = System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(key) + ":\"" + all[key] + "\"");
                var at = header.AsSpan().IndexOf(needle);
                if (at < 0 || at + needle.Length > sink.PatchableBytes)
                {
                    throw new ArgumentException($"Deferred metadata key '{key}' cannot be patched in place.", nameof(deferred));
                }

                offsets[key] = (at + needle.Length - 1 - length, length);
            }

            sink.Write(header);
            return new SafetensorsWriter(sink, layout, offsets);
        }
        catch
        {
            sink.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The 8-byte length and the JSON header, padded with spaces so the data buffer starts on an 8-byte boundary.
    /// </summary>
    public static byte[] BuildHeader(IReadOnlyList<TensorSpec> layout, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(layout);
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata)
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            long offset = 0;
            foreach (var spec in layout)
            {
                if (!seen.Add(spec.Name) || spec.Name == "__metadata__")
                {
                    throw new ArgumentException($"Tensor name '{spec.Name}' is used twice or reserved.", nameof(layout));
                }

                writer.WriteStartObject(spec.Name);
                writer.WriteString("dtype", spec.Dtype.HeaderName());
                writer.WriteStartArray("shape");
                foreach (var dim in spec.Shape)
                {
                    writer.WriteNumberValue(dim);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                offset = checked(offset + spec.ByteCount);
                writer.WriteNumberValue(offset);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        var length = (int)json.Length;
        var padded = (length + 7) / 8 * 8;
        var header = new byte[8 + padded];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)padded);
        json.GetBuffer().AsSpan(0, length).CopyTo(header.AsSpan(8));
        header.AsSpan(8 + length).Fill((byte)' ');
        return header;
    }

    /// <summary>
    /// Writes the next tensor of the layout. Its name, dtype and shape must be the ones the layout announced.
    /// </summary>
    public void Write(string name, Tensor tensor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var spec = Next ?? throw new InvalidOperationException($"{Name}: every tensor of the layout is written; '{name}' is one too many.");
        if (spec.Name != name)
        {
            throw new InvalidOperationException($"{Name}: expected tensor '{spec.Name}' next, got '{name}'.");
        }

        var actual = new TensorSpec(name, TensorDtypeTorch.FromScalarType(tensor.dtype), tensor.shape);
        if (!spec.SameLayout(actual))
        {
            throw new ArgumentException($"{Name}: tensor '{name}' is {actual.Dtype} {actual.ShapeText}, the header says {spec.Dtype} {spec.ShapeText}.", nameof(tensor));
        }

        using var scope = NewDisposeScope();
        var source = tensor.device_type == TorchSharp.DeviceType.CPU && tensor.is_contiguous() ? tensor : tensor.cpu().contiguous();
        var flat = source.view(-1);
        var elementsPerChunk = SafetensorsReader.ChunkBytes / spec.Dtype.ElementSize();
        for (long start = 0; start < spec.ElementCount; start += elementsPerChunk)
        {
            var chunk = flat.narrow(0, start, Math.Min(elementsPerChunk, spec.ElementCount - start));
            _sink.Write(chunk.bytes, cancellationToken);
        }

        _next++;
    }

    /// <summary>
    /// Checks every tensor was written, fills the deferred metadata with <paramref name="deferredValues"/> (each of
    /// the length announced, ASCII), and makes the file visible under its name.
    /// </summary>
    public void Commit(IReadOnlyDictionary<string, string>? deferredValues = null, CancellationToken cancellationToken = default)
    {
        if (Next is { } missing)
        {
            throw new InvalidOperationException($"{Name}: tensor '{missing.Name}' and {_layout.Count - _next - 1} more were never written.");
        }

        foreach (var (key, (offset, length)) in _deferred)
        {
            if (deferredValues is null || !deferredValues.TryGetValue(key, out var value) || value.Length != length || !System.Text.Ascii.IsValid(value)
                || value.Any(c => c is '"' or '\\' || char.IsControl(c)))
            {
                throw new InvalidOperationException($"{Name}: deferred metadata '{key}' needs a plain ASCII value of exactly {length} characters.");
            }

            _sink.Patch(offset, System.Text.Encoding.ASCII.GetBytes(value));
        }

        _sink.Commit(cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _sink.Dispose();
}
