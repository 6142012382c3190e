using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>The non-finite input rule of a merge: NaN or infinity in an input is an error unless allowed.</summary>
internal static class FiniteCheck
{
    /// <summary>Throws naming the checkpoint and tensor if <paramref name="tensor"/> holds NaN or infinity.</summary>
    public static void Ensure(string location, TensorSpec spec, Tensor tensor, bool allowNonFinite)
    {
        if (allowNonFinite || !spec.Dtype.IsFloatingPoint())
        {
            return;
        }

        using var scope = NewDisposeScope();
        // A finite sum means every element is finite: one cheap pass instead of a mask.
        if (double.IsFinite(tensor.sum().to_type(ScalarType.Float64).item<double>()))
        {
            return;
        }

        var count = tensor.isfinite().logical_not().sum().item<long>();
        if (count > 0)
        {
            throw new InvalidOperationException(
                $"{location}: tensor '{spec.Name}' holds {count} NaN or infinite value(s); fix the input or set allow_non_finite: true.");
        }
    }
}
