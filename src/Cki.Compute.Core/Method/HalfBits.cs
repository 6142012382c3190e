using System.Numerics;
using System.Runtime.InteropServices;

namespace Cki.Compute.Method;

/// <summary>
/// BF16 and F16 to float32 and back over spans, in C#: widening is exact; narrowing rounds to nearest even, as
/// PyTorch's <c>.to(torch.bfloat16)</c> and <c>.half()</c> do, and turns NaN into a quiet NaN. BF16 is the top half
/// of a float32, so both directions are a few vector instructions per element.
/// </summary>
internal static class HalfBits
{
    private const ushort QuietNaN = 0x7FC0;

    /// <summary>BF16 bit patterns to float32: the 16 bits become the top half of the float32.</summary>
    public static void WidenBf16(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        var bits = MemoryMarshal.Cast<float, uint>(destination);
        var vectors = source.Length / Vector<ushort>.Count;
        var input = MemoryMarshal.Cast<ushort, Vector<ushort>>(source[..(vectors * Vector<ushort>.Count)]);
        var output = MemoryMarshal.Cast<uint, Vector<uint>>(bits);
        for (var v = 0; v < input.Length; v++)
        {
            Vector.Widen(input[v], out var low, out var high);
            output[2 * v] = low << 16;
            output[(2 * v) + 1] = high << 16;
        }

        for (var i = vectors * Vector<ushort>.Count; i < source.Length; i++)
        {
            bits[i] = (uint)source[i] << 16;
        }
    }

    /// <summary>float32 to BF16 bit patterns, round to nearest even: add 0x7FFF plus the lowest kept bit, keep the top half.</summary>
    public static void NarrowBf16(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        var bits = MemoryMarshal.Cast<float, uint>(source);
        var vectors = destination.Length / Vector<ushort>.Count;
        var input = MemoryMarshal.Cast<uint, Vector<uint>>(bits);
        var output = MemoryMarshal.Cast<ushort, Vector<ushort>>(destination[..(vectors * Vector<ushort>.Count)]);
        var values = MemoryMarshal.Cast<float, Vector<float>>(source);
        for (var v = 0; v < output.Length; v++)
        {
            output[v] = Vector.Narrow(Round(input[2 * v], values[2 * v]), Round(input[(2 * v) + 1], values[(2 * v) + 1]));
        }

        for (var i = vectors * Vector<ushort>.Count; i < destination.Length; i++)
        {
            destination[i] = float.IsNaN(source[i]) ? QuietNaN : (ushort)((bits[i] + 0x7FFFu + ((bits[i] >> 16) & 1)) >> 16);
        }
    }

    private static Vector<uint> Round(Vector<uint> bits, Vector<float> values)
    {
        var rounded = (bits + new Vector<uint>(0x7FFFu) + ((bits >> 16) & Vector<uint>.One)) >> 16;
        // NaN is the one value not equal to itself.
        return Vector.ConditionalSelect(Vector.Equals(values, values).As<int, uint>(), rounded, new Vector<uint>(QuietNaN));
    }

    /// <summary>F16 bit patterns to float32 (exact).</summary>
    public static void WidenF16(ReadOnlySpan<Half> source, Span<float> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = (float)source[i];
        }
    }

    /// <summary>float32 to F16, round to nearest even (.NET's conversion is IEEE's).</summary>
    public static void NarrowF16(ReadOnlySpan<float> source, Span<Half> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (Half)source[i];
        }
    }
}
