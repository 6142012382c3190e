using System.Numerics;
using System.Runtime.InteropServices;
using Cki.Compute.Checkpoints;
using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>The non-finite input rule of a merge: NaN or infinity in an input is an error unless allowed.</summary>
internal static class FiniteCheck
{
    /// <summary>Throws naming the checkpoint and tensor if <paramref name="tensor"/> holds NaN or infinity.</summary>
    public static void Ensure(string location, TensorSpec spec, Tensor tensor, bool allowNonFinite)
    {
        if (allowNonFinite || !spec.Dtype.IsFloatingPoint() || AllFinite(tensor))
        {
            return;
        }

        using var scope = NewDisposeScope();
        var count = tensor.isfinite().logical_not().sum().item<long>();
        if (count > 0)
        {
            throw new InvalidOperationException(
                $"{location}: tensor '{spec.Name}' holds {count} NaN or infinite value(s); fix the input or set allow_non_finite: true.");
        }
    }

    /// <summary>
    /// Whether every element is finite. A CPU tensor's bits are read in place: an IEEE value is NaN or infinite
    /// exactly when its exponent bits are all ones, a vectorised test at memory speed (a precise sum, the other
    /// one-pass test, costs several times more). Anything else: a finite sum means every element is finite.
    /// </summary>
    internal static bool AllFinite(Tensor tensor)
    {
        if (tensor.device_type == TorchSharp.DeviceType.CPU && tensor.is_contiguous()
            && tensor.dtype is ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16)
        {
            // In chunks: a span over more than 2 GB cannot be made.
            using var flat = tensor.view(-1);
            var perChunk = SafetensorsReader.ChunkBytes / tensor.element_size();
            for (long start = 0; start < flat.numel(); start += perChunk)
            {
                using var chunk = flat.narrow(0, start, Math.Min(perChunk, flat.numel() - start));
                if (!AllFinite(chunk.bytes, tensor.dtype))
                {
                    return false;
                }
            }

            return true;
        }

        using var scope = NewDisposeScope();
        return double.IsFinite(tensor.sum().to_type(ScalarType.Float64).item<double>());
    }

    private static bool AllFinite(ReadOnlySpan<byte> bytes, ScalarType type) => type switch
    {
        ScalarType.Float32 => NoneAllOnes(MemoryMarshal.Cast<byte, uint>(bytes), 0x7F80_0000u),
        ScalarType.Float64 => NoneAllOnes(MemoryMarshal.Cast<byte, ulong>(bytes), 0x7FF0_0000_0000_0000ul),
        ScalarType.Float16 => NoneAllOnes(MemoryMarshal.Cast<byte, ushort>(bytes), (ushort)0x7C00),
        _ => NoneAllOnes(MemoryMarshal.Cast<byte, ushort>(bytes), (ushort)0x7F80),
    };

    /// <summary>Whether no element has all the bits of <paramref name="exponent"/> set.</summary>
    private static bool NoneAllOnes<T>(ReadOnlySpan<T> bits, T exponent)
        where T : unmanaged, IBinaryInteger<T>
    {
        var mask = new Vector<T>(exponent);
        var vectors = MemoryMarshal.Cast<T, Vector<T>>(bits);
        foreach (var v in vectors)
        {
            if (Vector.EqualsAny(v & mask, mask))
            {
                return false;
            }
        }

        foreach (var b in bits[(vectors.Length * Vector<T>.Count)..])
        {
            if ((b & exponent) == exponent)
            {
                return false;
            }
        }

        return true;
    }
}
