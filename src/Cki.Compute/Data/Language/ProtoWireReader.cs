namespace Cki.Compute.Data.Language;

/// <summary>
/// Reads protobuf's wire format (varints, fixed 32/64-bit values and length-delimited fields) from a byte range.
/// Every read is bounded by the range, so a truncated or malformed message is an error naming
/// <see cref="Source"/>, never a read past the end.
/// </summary>
internal ref struct ProtoWireReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private int _position;

    public ProtoWireReader(ReadOnlySpan<byte> bytes, string source)
    {
        _bytes = bytes;
        Source = source;
    }

    /// <summary>What the bytes are (file and message), for errors.</summary>
    public string Source { get; }

    public readonly bool AtEnd => _position >= _bytes.Length;

    /// <summary>The next field's number and wire type.</summary>
    public (int Field, int WireType) ReadTag()
    {
        var tag = ReadVarint();
        var field = tag >> 3;
        if (field is 0 or > int.MaxValue)
        {
            throw Error($"invalid field number {field}");
        }

        return ((int)field, (int)(tag & 7));
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _bytes.Length)
            {
                throw Error("truncated varint");
            }

            var b = _bytes[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw Error("varint longer than 10 bytes");
    }

    public uint ReadFixed32() => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ulong ReadFixed64() => System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    /// <summary>A length-delimited field's payload, with its offset from the start of the range.</summary>
    public (int Offset, int Length) ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)(_bytes.Length - _position))
        {
            throw Error($"a field of {length} bytes runs past the end ({_bytes.Length - _position} left)");
        }

        var offset = _position;
        _position += (int)length;
        return (offset, (int)length);
    }

    public string ReadString()
    {
        var (offset, length) = ReadLengthDelimited();
        return System.Text.Encoding.UTF8.GetString(_bytes.Slice(offset, length));
    }

    /// <summary>Skips a field of <paramref name="wireType"/> this reader does not need.</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0: ReadVarint(); break;
            case 1: Take(8); break;
            case 2: ReadLengthDelimited(); break;
            case 5: Take(4); break;
            default: throw Error($"unsupported wire type {wireType}");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _bytes.Length - _position)
        {
            throw Error($"truncated: {count} bytes needed, {_bytes.Length - _position} left");
        }

        var span = _bytes.Slice(_position, count);
        _position += count;
        return span;
    }

    private readonly OnnxFormatException Error(string what) => new($"{Source}: malformed protobuf at byte {_position}: {what}.");
}
