using System.Buffers.Binary;
using static TorchSharp.torch;

namespace Cki.Compute.Checkpoints;

/// <summary>
/// Reads one safetensors file tensor by tensor, each by its own byte range: the header is read and validated
/// when the reader is opened, and no tensor's bytes are touched until it is asked for.
/// </summary>
public sealed class SafetensorsReader : IDisposable
{
    /// <summary>Bytes read per range request: big enough to stream, small enough to keep the span length valid.</summary>
    internal const int ChunkBytes = 64 << 20;

    private readonly IByteSource _source;
    private readonly Dictionary<string, TensorEntry> _byName;

    private SafetensorsReader(IByteSource source, SafetensorsHeader header)
    {
        _source = source;
        Header = header;
        _byName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The validated header.</summary>
    public SafetensorsHeader Header { get; }

    /// <summary>The file or blob being read.</summary>
    public string Name => _source.Name;

    /// <summary>The size of the file or blob in bytes.</summary>
    public long Length => _source.Length;

    /// <summary>Opens a local file.</summary>
    public static SafetensorsReader Open(string path) => Open(new FileByteSource(path));

    /// <summary>Reads and validates the header of <paramref name="source"/>; the reader owns the source.</summary>
    public static SafetensorsReader Open(IByteSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        try
        {
            var header = ReadHeader(source, cancellationToken);
            return new SafetensorsReader(source, header);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>Whether the file holds a tensor of that name.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The entry of <paramref name="name"/>, or an error naming the file and the tensor.</summary>
    public TensorEntry Entry(string name) =>
        _byName.TryGetValue(name, out var entry)
            ? entry
            : throw new CheckpointFormatException(Name, CheckpointRule.MissingTensor, "no tensor of this name in the file.", name);

    /// <summary>
    /// Reads one tensor into a new CPU tensor of its dtype and shape, straight into the tensor's memory, in
    /// chunks of at most <see cref="ChunkBytes"/>.
    /// </summary>
    public Tensor ReadTensor(string name, CancellationToken cancellationToken = default)
    {
        var entry = Entry(name);
        var spec = entry.Spec;
        var tensor = empty(spec.Shape.ToArray(), spec.Dtype.ToScalarType());
        try
        {
            ReadInto(entry, tensor, cancellationToken);
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads one tensor into <paramref name="destination"/>, a contiguous CPU tensor of the same dtype and element
    /// count (its shape may differ): lets a pipeline reuse one buffer for tensors of one size and skip the cost of
    /// fresh memory (page faults and zeroing) on every read.
    /// </summary>
    public void ReadTensor(string name, Tensor destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var entry = Entry(name);
        if (destination.dtype != entry.Spec.Dtype.ToScalarType() || destination.numel() != entry.Spec.ElementCount
            || !destination.is_contiguous() || destination.device_type != TorchSharp.DeviceType.CPU)
        {
            throw new ArgumentException($"{Name}: tensor '{name}' is {entry.Spec.Dtype} {entry.Spec.ShapeText}; the destination must be a contiguous CPU tensor of that dtype and element count.", nameof(destination));
        }

        ReadInto(entry, destination, cancellationToken);
    }

    private void ReadInto(TensorEntry entry, Tensor tensor, CancellationToken cancellationToken)
    {
        var spec = entry.Spec;
        var elementSize = spec.Dtype.ElementSize();
        var elementsPerChunk = ChunkBytes / elementSize;
        using var flat = tensor.view(-1);
        var position = Header.DataStart + entry.Begin;
        for (long start = 0; start < spec.ElementCount; start += elementsPerChunk)
        {
            var count = Math.Min(elementsPerChunk, spec.ElementCount - start);
            using var chunk = flat.narrow(0, start, count);
            var bytes = chunk.bytes;
            try
            {
                _source.ReadExactly(position, bytes, cancellationToken);
            }
            catch (EndOfStreamException e)
            {
                throw new CheckpointFormatException(Name, CheckpointRule.Truncated, "the file ends inside the tensor's data.", spec.Name, e);
            }

            if (spec.Dtype == TensorDtype.BOOL && bytes.IndexOfAnyExcept((byte)0, (byte)1) is var bad and >= 0)
            {
                throw new CheckpointFormatException(Name, CheckpointRule.InvalidBool,
                    $"element {start + bad} holds the byte {bytes[bad]}; BOOL elements must be 0 or 1.", spec.Name);
            }

            position += count * elementSize;
        }
    }

    private static SafetensorsHeader ReadHeader(IByteSource source, CancellationToken cancellationToken)
    {
        var name = source.Name;
        if (source.Length < 8)
        {
            throw new CheckpointFormatException(name, CheckpointRule.FileTooShort,
                $"the file has {source.Length} bytes; a safetensors file starts with an 8-byte header length.");
        }

        Span<byte> prefix = stackalloc byte[8];
        source.ReadExactly(0, prefix, cancellationToken);
        var declared = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (declared > SafetensorsHeaderParser.MaxHeaderLength)
        {
            throw new CheckpointFormatException(name, CheckpointRule.HeaderTooLarge,
                $"the header length {declared} is over the limit of {SafetensorsHeaderParser.MaxHeaderLength} bytes.");
        }

        if ((long)declared > source.Length - 8)
        {
            throw new CheckpointFormatException(name, CheckpointRule.HeaderBeyondFile,
                $"the header length {declared} runs past the end of the file ({source.Length} bytes).");
        }

        var json = new byte[(int)declared];
        source.ReadExactly(8, json, cancellationToken);
        return SafetensorsHeaderParser.Parse(name, json, source.Length - 8 - (long)declared);
    }

    /// <inheritdoc />
    public void Dispose() => _source.Dispose();
}
