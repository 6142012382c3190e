using System.Buffers.Binary;
using System.Text;

namespace Cki.Compute.Tests.Data;

/// <summary>Writes R's XDR serialization by hand, so the reader is checked against bytes built independently of it.</summary>
internal sealed class XdrBuilder
{
    // A List, not a MemoryStream: nothing to dispose.
    private readonly List<byte> _bytes = [];

    public XdrBuilder(int version = 3)
    {
        _bytes.AddRange("X\n"u8.ToArray());
        Int(version).Int(0x040300).Int(0x030500);
        if (version == 3)
        {
            Int(5);
            _bytes.AddRange("UTF-8"u8.ToArray());
        }
    }

    public XdrBuilder Int(int value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(b, value);
        _bytes.AddRange(b.ToArray());
        return this;
    }

    public XdrBuilder Double(double value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(b, value);
        _bytes.AddRange(b.ToArray());
        return this;
    }

    public XdrBuilder Chars(string? value)
    {
        Int(9 | (1 << 12)); // CHARSXP, UTF-8 flag
        if (value is null)
        {
            return Int(-1);
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        Int(bytes.Length);
        _bytes.AddRange(bytes);
        return this;
    }

    public XdrBuilder Ints(params int[] values) => Ints(false, values);

    public XdrBuilder Ints(bool attributes, params int[] values)
    {
        Int(13 | (attributes ? 0x200 : 0)).Int(values.Length);
        foreach (var v in values)
        {
            Int(v);
        }

        return this;
    }

    public XdrBuilder Doubles(params double[] values)
    {
        Int(14).Int(values.Length);
        foreach (var v in values)
        {
            Double(v);
        }

        return this;
    }

    public XdrBuilder Strings(params string?[] values)
    {
        Int(16).Int(values.Length);
        foreach (var v in values)
        {
            Chars(v);
        }

        return this;
    }

    /// <summary>A tagged pairlist cell whose tag is a new symbol; the caller writes the value, then the next cell or Nil.</summary>
    public XdrBuilder Cell(string tag) => Int(2 | 0x400).Int(1).Chars(tag);

    public XdrBuilder Nil() => Int(254);

    public byte[] ToArray() => _bytes.ToArray();
}
