using System.Numerics;
using Cki.Compute.Method;
using Cki.Compute.Tests.Merging;

namespace Cki.Compute.Tests.Method;

/// <summary>The C# BF16 conversions against the hand-written rounding of <see cref="HalfPrecisionMethodTests"/>, over whole vectors and a tail.</summary>
public class HalfBitsTests
{
    // Three whole vectors of BF16 lanes and a tail of 5, so both the vector loop and the scalar loop run.
    private static readonly int Length = (3 * Vector<ushort>.Count) + 5;

    [Fact]
    public void NarrowBf16_VectorsAndTail_RoundToNearestEvenLikeTheHandReference()
    {
        var random = new Random(23);
        var values = new float[Length];
        for (var i = 0; i < Length; i++)
        {
            values[i] = BitConverter.UInt32BitsToSingle((uint)random.NextInt64(0, 1L << 32));
        }

        // Exact ties both ways, overflow, infinities and NaN, in a vector and in the tail.
        float[] edges = [BitConverter.UInt32BitsToSingle(0x3F808000), BitConverter.UInt32BitsToSingle(0x3F818000), float.MaxValue,
            float.PositiveInfinity, float.NegativeInfinity, float.NaN, BitConverter.UInt32BitsToSingle(0xFFFFFFFF)];
        edges.CopyTo(values, 1);
        edges.CopyTo(values, Length - edges.Length);
        var narrowed = new ushort[Length];

        HalfBits.NarrowBf16(values, narrowed);

        for (var i = 0; i < Length; i++)
        {
            if (float.IsNaN(values[i]))
            {
                Assert.True(float.IsNaN(BitConverter.UInt32BitsToSingle((uint)narrowed[i] << 16)), $"element {i}");
            }
            else
            {
                Assert.Equal(HalfPrecisionMethodTests.Bf16RoundNearestEven(values[i]), narrowed[i]);
            }
        }
    }

    [Fact]
    public void WidenBf16_VectorsAndTail_IsTheTopHalfOfTheFloat()
    {
        var bits = Enumerable.Range(0, Length).Select(i => (ushort)((i * 2654435761u) >> 16)).ToArray();
        var widened = new float[Length];

        HalfBits.WidenBf16(bits, widened);

        Assert.Equal(bits.Select(b => (uint)b << 16), widened.Select(BitConverter.SingleToUInt32Bits));
    }
}
