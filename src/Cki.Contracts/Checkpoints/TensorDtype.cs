namespace Cki.Contracts.Checkpoints;

/// <summary>The element types a safetensors file may hold, as this project supports them.</summary>
public enum TensorDtype
{
    /// <summary>64-bit float.</summary>
    F64,
    /// <summary>32-bit float.</summary>
    F32,
    /// <summary>IEEE half.</summary>
    F16,
    /// <summary>bfloat16.</summary>
    BF16,
    /// <summary>64-bit signed integer.</summary>
    I64,
    /// <summary>32-bit signed integer.</summary>
    I32,
    /// <summary>16-bit signed integer.</summary>
    I16,
    /// <summary>8-bit signed integer.</summary>
    I8,
    /// <summary>8-bit unsigned integer.</summary>
    U8,
    /// <summary>Boolean, one byte per element (0 or 1).</summary>
    BOOL,
}

/// <summary>Sizes and names of <see cref="TensorDtype"/>.</summary>
public static class TensorDtypes
{
    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this TensorDtype dtype) => dtype switch
    {
        TensorDtype.F64 or TensorDtype.I64 => 8,
        TensorDtype.F32 or TensorDtype.I32 => 4,
        TensorDtype.F16 or TensorDtype.BF16 or TensorDtype.I16 => 2,
        TensorDtype.I8 or TensorDtype.U8 or TensorDtype.BOOL => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>Whether the dtype holds floating-point values (the ones that can be non-finite or spliced).</summary>
    public static bool IsFloatingPoint(this TensorDtype dtype) =>
        dtype is TensorDtype.F64 or TensorDtype.F32 or TensorDtype.F16 or TensorDtype.BF16;

    /// <summary>The name used in safetensors headers.</summary>
    public static string HeaderName(this TensorDtype dtype) => dtype.ToString();

    /// <summary>Parses a header dtype name; false for anything this project does not support.</summary>
    public static bool TryParse(string name, out TensorDtype dtype)
    {
        foreach (var candidate in Enum.GetValues<TensorDtype>())
        {
            if (string.Equals(candidate.HeaderName(), name, StringComparison.Ordinal))
            {
                dtype = candidate;
                return true;
            }
        }

        dtype = default;
        return false;
    }
}
