using static TorchSharp.torch;

namespace Cki.Compute.Checkpoints;

/// <summary>The TorchSharp equivalents of <see cref="TensorDtype"/>.</summary>
public static class TensorDtypeTorch
{
    /// <summary>The TorchSharp scalar type of the same layout.</summary>
    public static ScalarType ToScalarType(this TensorDtype dtype) => dtype switch
    {
        TensorDtype.F64 => ScalarType.Float64,
        TensorDtype.F32 => ScalarType.Float32,
        TensorDtype.F16 => ScalarType.Float16,
        TensorDtype.BF16 => ScalarType.BFloat16,
        TensorDtype.I64 => ScalarType.Int64,
        TensorDtype.I32 => ScalarType.Int32,
        TensorDtype.I16 => ScalarType.Int16,
        TensorDtype.I8 => ScalarType.Int8,
        TensorDtype.U8 => ScalarType.Byte,
        TensorDtype.BOOL => ScalarType.Bool,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>The dtype of a TorchSharp scalar type; throws for types safetensors cannot hold here.</summary>
    public static TensorDtype FromScalarType(ScalarType type) => type switch
    {
        ScalarType.Float64 => TensorDtype.F64,
        ScalarType.Float32 => TensorDtype.F32,
        ScalarType.Float16 => TensorDtype.F16,
        ScalarType.BFloat16 => TensorDtype.BF16,
        ScalarType.Int64 => TensorDtype.I64,
        ScalarType.Int32 => TensorDtype.I32,
        ScalarType.Int16 => TensorDtype.I16,
        ScalarType.Int8 => TensorDtype.I8,
        ScalarType.Byte => TensorDtype.U8,
        ScalarType.Bool => TensorDtype.BOOL,
        _ => throw new NotSupportedException($"Tensor type {type} cannot be stored in a safetensors file by this tool."),
    };
}
