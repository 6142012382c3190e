using System.Runtime.InteropServices;
using Cki.Compute.Merging;
using Cki.Compute.Method;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Merging;

/// <summary>
/// Every data-free method on BF16 and F16 inputs against an independent computation written here: the same float32
/// arithmetic in C#, then float32 rounded to the 16-bit type to nearest even by hand (BF16, bit by bit) or by
/// <see cref="Half"/> (F16), not by TorchSharp. The tensors are longer than one chunk of the engine's float32 work,
/// and the first elements are the edge cases: exact ties, subnormals, overflow, infinities and NaN.
/// </summary>
public class HalfPrecisionMethodTests
{
    private const int Count = (1 << 20) + 37;

    public static TheoryData<string> Dtypes => new() { "bf16", "f16" };

    // ---- the reference, independent of TorchSharp ----

    /// <summary>float32 to BF16, round to nearest even, by hand: add 0x7FFF plus the lowest kept bit, truncate.</summary>
    internal static ushort Bf16RoundNearestEven(float value)
    {
        if (float.IsNaN(value))
        {
            return 0x7FC0;
        }

        var bits = BitConverter.SingleToUInt32Bits(value);
        var lowestKept = (bits >> 16) & 1;
        return (ushort)((bits + 0x7FFFu + lowestKept) >> 16);
    }

    private static float ToFloat(ushort bits, string dtype) =>
        dtype == "bf16" ? BitConverter.UInt32BitsToSingle((uint)bits << 16) : (float)BitConverter.UInt16BitsToHalf(bits);

    private static ushort FromFloat(float value, string dtype) =>
        dtype == "bf16" ? Bf16RoundNearestEven(value) : BitConverter.HalfToUInt16Bits((Half)value);

    private static bool IsNaN(ushort bits, string dtype) => float.IsNaN(ToFloat(bits, dtype));

    // ---- inputs: edge cases first, then seeded random finite values ----

    private static (ushort A, ushort B, ushort Base)[] EdgeCases(string dtype) => dtype == "bf16"
        ?
        [
            (0x3F80, 0x3F81, 0x0000), // mean 1.00390625: a tie, rounds down to the even 0x3F80
            (0x3F81, 0x3F82, 0x0000), // a tie, rounds up to the even 0x3F82 (truncation would give 0x3F81)
            (0x0001, 0x0002, 0x0000), // subnormals: mean 1.5 units, a tie, rounds to 2 units
            (0x8001, 0x0001, 0x0000), // -tiny + tiny = 0
            (0x0080, 0x0001, 0x0001), // smallest normal and a subnormal
            (0x7F7F, 0x7F7F, 0x0000), // the largest BF16 twice: the float32 sum overflows to infinity
            (0x7F80, 0x3F80, 0x3F80), // +inf
            (0x7F80, 0xFF80, 0x3F80), // +inf - inf = NaN
            (0x7FC0, 0x3F80, 0x3F80), // NaN
            (0x3CA4, 0xBCA4, 0x0000), // 0.0200195 (0.02 rounded to BF16) and its negative: above a 0.02 threshold in float32
            (0x8000, 0x0000, 0x8000), // -0 and +0
        ]
        :
        [
            (0x3C00, 0x3C01, 0x0000), // a tie, rounds down to the even 0x3C00
            (0x3C01, 0x3C02, 0x0000), // a tie, rounds up to the even 0x3C02
            (0x0001, 0x0002, 0x0000), // subnormals: a tie, rounds to 2 units
            (0x8001, 0x0001, 0x0000),
            (0x0400, 0x0001, 0x0001),
            (0x7BFF, 0x7BFF, 0xFBFF), // 65504 twice against -65504: the task vectors overflow F16, not float32
            (0x7C00, 0x3C00, 0x3C00),
            (0x7C00, 0xFC00, 0x3C00),
            (0x7E00, 0x3C00, 0x3C00),
            (0x251F, 0xA51F, 0x0000), // 0.0200043, just above 0.02
            (0x8000, 0x0000, 0x8000),
        ];

    private static ushort[][] Inputs(string dtype, int models, bool finiteOnly)
    {
        var random = new Random(models * 7919 + dtype.Length);
        // TIES's magnitude ranking and the entropy's range need finite values: those tests leave out infinities and NaN.
        var edges = EdgeCases(dtype)
            .Where(e => !finiteOnly || new[] { e.A, e.B, e.Base }.All(b => float.IsFinite(ToFloat(b, dtype))))
            .ToArray();

        var result = new ushort[models + 1][];
        for (var m = 0; m <= models; m++)
        {
            var values = new ushort[Count];
            for (var i = 0; i < Count; i++)
            {
                // Random sign and mantissa, exponents around 1 (so sums and products stay well inside the range).
                var exponent = random.Next(dtype == "bf16" ? 110 : 10, dtype == "bf16" ? 135 : 20);
                var mantissa = random.Next(dtype == "bf16" ? 1 << 7 : 1 << 10);
                var sign = random.Next(2);
                values[i] = dtype == "bf16" ? (ushort)((sign << 15) | (exponent << 7) | mantissa) : (ushort)((sign << 15) | (exponent << 10) | mantissa);
            }

            for (var i = 0; i < edges.Length; i++)
            {
                // Model k > 1 repeats model B's edge value; the base is last.
                values[i] = m == models ? edges[i].Base : m == 0 ? edges[i].A : edges[i].B;
            }

            result[m] = values;
        }

        return result;
    }

    // ---- running a method ----

    private static Tensor Tensor(ushort[] bits, string dtype)
    {
        var t = empty(bits.Length, dtype == "bf16" ? ScalarType.BFloat16 : ScalarType.Float16);
        MemoryMarshal.AsBytes(bits.AsSpan()).CopyTo(t.bytes);
        return t;
    }

    private static (ushort[] Merged, float[]? Weights) Run(IMergeMethod method, ushort[][] inputs, int models, string dtype)
    {
        using var scope = NewDisposeScope();
        var thetas = inputs.Take(models).Select(b => Tensor(b, dtype)).ToList();
        var baseTheta = method.NeedsBase ? Tensor(inputs[models], dtype) : null;
        var output = empty_like(thetas[0]);
        var result = method.Merge(new MergeInput("w", thetas, baseTheta, output));
        Assert.Equal(thetas[0].dtype, result.Merged.dtype);
        var merged = MemoryMarshal.Cast<byte, ushort>(result.Merged.contiguous().bytes).ToArray();
        return (merged, result.Weights?.data<float>().ToArray());
    }

    private static void AssertSame(ushort[] expected, ushort[] actual, string dtype)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (IsNaN(expected[i], dtype) && IsNaN(actual[i], dtype))
            {
                continue;
            }

            if (expected[i] != actual[i])
            {
                Assert.Fail($"element {i}: expected 0x{expected[i]:X4} ({ToFloat(expected[i], dtype)}), got 0x{actual[i]:X4} ({ToFloat(actual[i], dtype)})");
            }
        }
    }

    private static ushort[] Expected(ushort[][] inputs, int models, string dtype, Func<float[], float, float> merge)
    {
        var expected = new ushort[Count];
        var values = new float[models];
        for (var i = 0; i < Count; i++)
        {
            for (var k = 0; k < models; k++)
            {
                values[k] = ToFloat(inputs[k][i], dtype);
            }

            expected[i] = FromFloat(merge(values, ToFloat(inputs[models][i], dtype)), dtype);
        }

        return expected;
    }

    // ---- the methods ----

    [Theory]
    [MemberData(nameof(Dtypes))]
    public void Average_HalfPrecision_IsFloat32MeanRoundedToNearestEven(string dtype)
    {
        foreach (var models in new[] { 2, 3 })
        {
            var inputs = Inputs(dtype, models, finiteOnly: false);
            var expected = Expected(inputs, models, dtype, (v, _) =>
            {
                var sum = v[0];
                for (var k = 1; k < v.Length; k++)
                {
                    sum += v[k];
                }

                return sum / v.Length;
            });
            AssertSame(expected, Run(new AverageMethod(), inputs, models, dtype).Merged, dtype);
        }
    }

    [Fact]
    public void Average_Bf16Ties_RoundToEvenNotTruncate()
    {
        // Hand-checked: (1 + 1.0078125) / 2 = 1.00390625 -> 1 (0x3F80); (1.0078125 + 1.015625) / 2 -> 1.015625 (0x3F82).
        var merged = Run(new AverageMethod(), [[0x3F80, 0x3F81], [0x3F81, 0x3F82], [0, 0]], 2, "bf16").Merged;
        Assert.Equal(new ushort[] { 0x3F80, 0x3F82 }, merged);
    }

    [Theory]
    [MemberData(nameof(Dtypes))]
    public void TaskArithmetic_HalfPrecision_IsFloat32TaskVectorsRoundedToNearestEven(string dtype)
    {
        const double Lambda = 0.7;
        foreach (var models in new[] { 2, 3 })
        {
            var inputs = Inputs(dtype, models, finiteOnly: false);
            var expected = Expected(inputs, models, dtype, (v, b) =>
            {
                var sum = v[0] - b;
                for (var k = 1; k < v.Length; k++)
                {
                    sum += v[k] - b;
                }

                return b + (sum * (float)Lambda);
            });
            AssertSame(expected, Run(TaskVectorMethod.TaskArithmetic(Lambda), inputs, models, dtype).Merged, dtype);
        }
    }

    [Theory]
    [MemberData(nameof(Dtypes))]
    public void Ties_HalfPrecision_MatchesFloat32TrimElectMeanRoundedToNearestEven(string dtype)
    {
        const double Density = 0.5;
        const double Lambda = 0.9;
        const int Models = 2;
        var inputs = Inputs(dtype, Models, finiteOnly: true);
        var baseValues = inputs[Models].Select(b => ToFloat(b, dtype)).ToArray();
        var vectors = Enumerable.Range(0, Models).Select(k => inputs[k].Select((b, i) => ToFloat(b, dtype) - baseValues[i]).ToArray()).ToArray();
        var keep = (int)Math.Ceiling(Density * Count);
        var trimmed = vectors.Select(v =>
        {
            var sorted = v.Select(MathF.Abs).ToArray();
            Array.Sort(sorted);
            var cutoff = sorted[Count - keep];
            return v.Select(x => MathF.Abs(x) >= cutoff ? x : 0f).ToArray();
        }).ToArray();
        var expected = new ushort[Count];
        for (var i = 0; i < Count; i++)
        {
            var elected = MathF.Sign(trimmed[0][i] + trimmed[1][i]);
            float kept = 0;
            var agreeing = 0;
            foreach (var t in trimmed)
            {
                if (t[i] != 0 && MathF.Sign(t[i]) == elected)
                {
                    kept += t[i];
                    agreeing++;
                }
            }

            expected[i] = FromFloat(baseValues[i] + (kept / Math.Max(1, agreeing) * (float)Lambda), dtype);
        }

        AssertSame(expected, Run(TaskVectorMethod.Ties(Density, Lambda), inputs, Models, dtype).Merged, dtype);
    }

    [Theory]
    [MemberData(nameof(Dtypes))]
    public void GlobalOnlySoft_HalfPrecision_IsFloat32WeightedSumRoundedToNearestEven(string dtype)
    {
        var inputs = Inputs(dtype, 2, finiteOnly: true);
        var method = new GlobalOnlyMethod(SpliceMode.Soft, HistogramMode.Reference, GlobalInformation.DefaultAmplitude, GlobalInformation.DefaultSteepness);
        var (merged, weights) = Run(method, inputs, 2, dtype);
        Assert.NotNull(weights);
        var expected = Expected(inputs, 2, dtype, (v, _) => (weights[0] * v[0]) + (weights[1] * v[1]));
        AssertSame(expected, merged, dtype);
    }

    [Theory]
    [MemberData(nameof(Dtypes))]
    public void GlobalOnly_HalfPrecisionEntropy_EqualsEntropyOfSameValuesInFloat32(string dtype)
    {
        var bits = Inputs(dtype, 2, finiteOnly: false)[0];
        using var half = Tensor(bits, dtype);
        using var wide = tensor(bits.Select(b => ToFloat(b, dtype)).ToArray());
        Assert.Equal(GlobalInformation.Entropy(wide), GlobalInformation.Entropy(half));
    }

    [Theory]
    [MemberData(nameof(Dtypes))]
    public void Prune_HalfPrecision_ComparesInFloat32AndKeepsElementsBitForBit(string dtype)
    {
        const double Threshold = 0.02;
        var inputs = Inputs(dtype, 2, finiteOnly: false);
        var a = inputs[0];
        var reference = Run(new PruneReferenceMethod(Threshold), inputs, 2, dtype).Merged;
        var magnitude = Run(new PruneMagnitudeMethod(Threshold), inputs, 2, dtype).Merged;
        for (var i = 0; i < Count; i++)
        {
            var value = ToFloat(a[i], dtype);
            Assert.Equal(value > (float)Threshold ? a[i] : (ushort)0, reference[i]);
            Assert.Equal(MathF.Abs(value) > (float)Threshold ? a[i] : (ushort)0, magnitude[i]);
        }
    }

    [Fact]
    public void Bf16RoundNearestEven_HandCheckedValues_AreRight()
    {
        // The reference itself, by hand: ties to even both ways, carry into the exponent, overflow to infinity.
        Assert.Equal(0x3F80, Bf16RoundNearestEven(BitConverter.UInt32BitsToSingle(0x3F808000)));
        Assert.Equal(0x3F82, Bf16RoundNearestEven(BitConverter.UInt32BitsToSingle(0x3F818000)));
        Assert.Equal(0x3F81, Bf16RoundNearestEven(BitConverter.UInt32BitsToSingle(0x3F808001)));
        Assert.Equal(0x4000, Bf16RoundNearestEven(BitConverter.UInt32BitsToSingle(0x3FFFFFFF)));
        Assert.Equal(0x7F80, Bf16RoundNearestEven(float.MaxValue));
        Assert.Equal(0x0002, Bf16RoundNearestEven(BitConverter.UInt32BitsToSingle(0x00018000)));
    }
}
