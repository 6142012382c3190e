using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Cki.Compute.Data.R;

/// <summary>
/// Reads R's XDR serialization format (versions 2 and 3), the payload of <c>.rds</c> files and of lazy-load
/// databases, into <see cref="RObject"/>s. Every length is checked against the bytes left, so a corrupt input
/// fails with an error naming the source and offset instead of allocating or recursing without bound.
/// </summary>
public sealed class RSerializationReader
{
    private const int MaxDepth = 1000;

    private readonly byte[] _bytes;
    private readonly string _source;
    private readonly List<RObject> _references = [];
    private int _position;
    private int _depth;

    private RSerializationReader(byte[] bytes, string source)
    {
        _bytes = bytes;
        _source = source;
    }

    /// <summary>Reads the one object serialized in <paramref name="bytes"/>; <paramref name="source"/> names it in errors.</summary>
    public static RObject Read(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var reader = new RSerializationReader(bytes, source);
        reader.ReadHeader();
        return reader.ReadItem();
    }

    private void ReadHeader()
    {
        if (_bytes.Length < 2 || _bytes[0] != (byte)'X' || _bytes[1] != (byte)'\n')
        {
            throw Error("expected the XDR serialization header 'X\\n' (only the XDR format is supported)");
        }

        _position = 2;
        var version = ReadInt();
        ReadInt(); // writer version
        ReadInt(); // minimal reader version
        if (version is not (2 or 3))
        {
            throw Error($"serialization version {version} is not 2 or 3");
        }

        if (version == 3)
        {
            var length = ReadInt();
            Take(length, "native encoding");
        }
    }

    private RObject ReadItem()
    {
        if (++_depth > MaxDepth)
        {
            throw Error($"objects nested deeper than {MaxDepth}");
        }

        try
        {
            var at = _position;
            var flags = ReadInt();
            var type = flags & 0xFF;
            var hasAttributes = (flags & 0x200) != 0;
            var hasTag = (flags & 0x400) != 0;
            switch (type)
            {
                case 254 or 253 or 252 or 251 or 250 or 242 or 241:
                    return new RNull();
                case 255:
                    var index = flags >> 8;
                    index = index == 0 ? ReadInt() : index;
                    return index >= 1 && index <= _references.Count
                        ? _references[index - 1]
                        : throw Error($"reference {index} at offset {at} to an object not read yet");
                case 1:
                    var name = ReadItem() is RStrings { Values: [var text] } ? text ?? "NA" : throw Error($"symbol at offset {at} without a name");
                    var symbol = new RSymbol(name);
                    _references.Add(symbol);
                    return symbol;
                case 2 or 6:
                    return ReadPairList(hasAttributes, hasTag);
                case 9:
                    return new RStrings([ReadCharacters()]);
                case 10 or 13:
                    return WithAttributes(new RInts(ReadInts(ReadLength(4))), hasAttributes);
                case 14:
                    return WithAttributes(new RDoubles(ReadDoubles(ReadLength(8))), hasAttributes);
                case 16:
                    var strings = new string?[ReadLength(8)];
                    for (var i = 0; i < strings.Length; i++)
                    {
                        ReadInt(); // the CHARSXP's flags
                        strings[i] = ReadCharacters();
                    }

                    return WithAttributes(new RStrings(strings), hasAttributes);
                case 19 or 20:
                    var items = new RObject[ReadLength(4)];
                    for (var i = 0; i < items.Length; i++)
                    {
                        items[i] = ReadItem();
                    }

                    return WithAttributes(new RList(items), hasAttributes);
                case 238:
                    return ReadAltrep();
                default:
                    throw Error($"R type {type} at offset {at} is not supported in a data set");
            }
        }
        finally
        {
            _depth--;
        }
    }

    private RPairList ReadPairList(bool hasAttributes, bool hasTag)
    {
        var cells = new List<(string?, RObject)>();
        RObject? attributes = null;
        while (true)
        {
            if (hasAttributes)
            {
                var a = ReadItem();
                attributes ??= a;
            }

            var tag = hasTag ? (ReadItem() as RSymbol)?.Name : null;
            cells.Add((tag, ReadItem()));
            // The rest of the list is the CDR: iterate instead of recursing, so long pairlists cannot exhaust the stack.
            var flags = PeekInt();
            if ((flags & 0xFF) is not (2 or 6))
            {
                ReadItem(); // the terminating NULL (or a dotted tail, ignored)
                break;
            }

            ReadInt();
            hasAttributes = (flags & 0x200) != 0;
            hasTag = (flags & 0x400) != 0;
        }

        var list = new RPairList(cells);
        return attributes is RPairList attrs ? list with { Attributes = ToDictionary(attrs) } : list;
    }

    private RObject ReadAltrep()
    {
        var info = ReadItem();
        var state = ReadItem();
        var attributes = ReadItem();
        var className = info is RPairList { Items: [(_, RSymbol symbol), ..] } ? symbol.Name : throw Error("ALTREP object without a class");
        RObject value = className switch
        {
            "compact_intseq" when state is RDoubles { Values: [var n, var start, var step] } =>
                new RInts(Sequence(n, i => checked((int)(start + (i * step))))),
            "compact_realseq" when state is RDoubles { Values: [var n, var start, var step] } =>
                new RDoubles(Sequence(n, i => start + (i * step))),
            _ when className.StartsWith("wrap_", StringComparison.Ordinal) && state is RPairList { Items: [(_, var wrapped), ..] } => wrapped,
            _ when className.StartsWith("wrap_", StringComparison.Ordinal) && state is RList { Items: [var wrapped, ..] } => wrapped,
            "deferred_string" when state is RPairList { Items: [(_, var original), ..] } => Deferred(original),
            _ => throw Error($"ALTREP class '{className}' is not supported"),
        };
        return attributes is RPairList attrs ? value with { Attributes = ToDictionary(attrs) } : value;
    }

    private T[] Sequence<T>(double n, Func<long, T> element)
    {
        if (!(n >= 0) || n > _bytes.Length * 64L)
        {
            throw Error($"compact sequence of {n} elements");
        }

        var values = new T[(long)n];
        try
        {
            for (long i = 0; i < values.Length; i++)
            {
                values[i] = element(i);
            }
        }
        catch (OverflowException)
        {
            throw Error("compact integer sequence runs outside the integer range");
        }

        return values;
    }

    private static RStrings Deferred(RObject original) => original switch
    {
        RInts ints => new RStrings(ints.Values.Select(v => v == int.MinValue ? null : v.ToString(CultureInfo.InvariantCulture)).ToArray()),
        RDoubles doubles => new RStrings(doubles.Values.Select(v => double.IsNaN(v) ? null : v.ToString("G15", CultureInfo.InvariantCulture)).ToArray()),
        _ => new RStrings([]),
    };

    private RObject WithAttributes(RObject value, bool hasAttributes)
    {
        if (!hasAttributes)
        {
            return value;
        }

        return ReadItem() is RPairList attributes ? value with { Attributes = ToDictionary(attributes) } : value;
    }

    private static Dictionary<string, RObject> ToDictionary(RPairList list)
    {
        var result = new Dictionary<string, RObject>(StringComparer.Ordinal);
        foreach (var (tag, value) in list.Items)
        {
            if (tag is not null)
            {
                result[tag] = value;
            }
        }

        return result;
    }

    private string? ReadCharacters()
    {
        var length = ReadInt();
        if (length == -1)
        {
            return null;
        }

        if (length < 0)
        {
            throw Error($"string length {length}");
        }

        return Encoding.UTF8.GetString(Take(length, "string"));
    }

    private int ReadLength(int minimumElementBytes)
    {
        var length = (long)ReadInt();
        if (length == -1)
        {
            length = ((long)ReadInt() << 32) | (uint)ReadInt();
        }

        if (length < 0 || length * minimumElementBytes > _bytes.Length - _position)
        {
            throw Error($"vector length {length} at offset {_position} runs past the {_bytes.Length - _position} bytes left");
        }

        return (int)length;
    }

    private int[] ReadInts(int count)
    {
        var values = new int[count];
        var span = Take(count * 4, "integers");
        for (var i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadInt32BigEndian(span[(i * 4)..]);
        }

        return values;
    }

    private double[] ReadDoubles(int count)
    {
        var values = new double[count];
        var span = Take(count * 8, "doubles");
        for (var i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadDoubleBigEndian(span[(i * 8)..]);
        }

        return values;
    }

    private int ReadInt() => BinaryPrimitives.ReadInt32BigEndian(Take(4, "integer"));

    private int PeekInt() => _position + 4 <= _bytes.Length ? BinaryPrimitives.ReadInt32BigEndian(_bytes.AsSpan(_position, 4)) : -1;

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count < 0 || count > _bytes.Length - _position)
        {
            throw Error($"{what} of {count} bytes at offset {_position} runs past the end ({_bytes.Length} bytes)");
        }

        var span = _bytes.AsSpan(_position, count);
        _position += count;
        return span;
    }

    private RDataFormatException Error(string detail) => new($"{_source}: {detail}.");
}
