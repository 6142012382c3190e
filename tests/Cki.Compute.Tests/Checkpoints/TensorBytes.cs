using Cki.Compute.Checkpoints;
using static TorchSharp.torch;

namespace Cki.Compute.Tests.Checkpoints;

/// <summary>Tensors made from and compared by their raw bytes, so round trips are checked bit for bit.</summary>
internal static class TensorBytes
{
    /// <summary>A tensor of <paramref name="spec"/> filled with seeded random bytes (0 or 1 for BOOL).</summary>
    public static Tensor Random(TensorSpec spec, int seed)
    {
        var bytes = new byte[spec.ByteCount];
        new Random(seed).NextBytes(bytes);
        if (spec.Dtype == TensorDtype.BOOL)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] &= 1;
            }
        }

        var tensor = empty(spec.Shape.ToArray(), spec.Dtype.ToScalarType());
        if (bytes.Length > 0)
        {
            bytes.CopyTo(tensor.bytes);
        }

        return tensor;
    }

    public static byte[] Of(Tensor tensor) => tensor.numel() == 0 ? [] : tensor.contiguous().bytes.ToArray();
}
