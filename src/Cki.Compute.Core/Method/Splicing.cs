using System.Numerics;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Cki.Compute.Method;

/// <summary>Soft or hard parameter splicing (docs/method.md: splicing).</summary>
public enum SpliceMode
{
    /// <summary>(b2) <c>theta* = sum_k w_k theta_k</c>, element-wise.</summary>
    Soft,

    /// <summary>(b1) <c>theta* = theta_{argmax_k w_k}</c>, element-wise; ties go to the lower index (model A).</summary>
    Hard,
}

/// <summary>Applies splicing weights to the models' tensors.</summary>
public static class Splicing
{
    /// <summary>
    /// The spliced tensor from <paramref name="thetas"/> (one per model, same shape) and
    /// <paramref name="weights"/> (<c>[K, ...shape]</c>), in the models' dtype.
    /// </summary>
    public static Tensor Splice(SpliceMode mode, IReadOnlyList<Tensor> thetas, Tensor weights)
    {
        ArgumentNullException.ThrowIfNull(thetas);
        ArgumentNullException.ThrowIfNull(weights);
        using var scope = NewDisposeScope();
        var stacked = stack(thetas.ToArray());
        Tensor result = mode switch
        {
            // Accumulate in float32 at least, so half-precision models do not lose the weighting. The dim is 0L:
            // a literal 0 binds to TorchSharp's sum(ScalarType) overload and sums everything.
            SpliceMode.Soft => stacked.to_type(Wider(stacked.dtype)).mul(weights.to_type(Wider(stacked.dtype))).sum(0L).to_type(stacked.dtype),
            // argmax returns the first maximal index, so ties keep model A.
            SpliceMode.Hard => stacked.gather(0, weights.argmax(0, keepdim: true)).squeeze(0),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Splices with one weight per model for the whole tensor (the global-only case) without materialising
    /// per-element weights: memory stays at the K inputs and the output.
    /// </summary>
    /// <param name="mode">Soft or hard.</param>
    /// <param name="thetas">One tensor per model.</param>
    /// <param name="weights">One weight per model.</param>
    /// <param name="output">A buffer of the inputs' dtype and shape to write into, or null for a new tensor.</param>
    public static Tensor SpliceScalar(SpliceMode mode, IReadOnlyList<Tensor> thetas, IReadOnlyList<double> weights, Tensor? output = null)
    {
        ArgumentNullException.ThrowIfNull(thetas);
        ArgumentNullException.ThrowIfNull(weights);
        if (mode == SpliceMode.Hard)
        {
            var best = 0;
            for (var k = 1; k < weights.Count; k++)
            {
                best = weights[k] > weights[best] ? k : best;
            }

            return output is null ? thetas[best].clone() : output.copy_(thetas[best]);
        }

        if (output is not null && thetas[0].dtype is ScalarType.Float32 or ScalarType.Float64)
        {
            output.copy_(thetas[0]).mul_(weights[0]);
            for (var k = 1; k < thetas.Count; k++)
            {
                output.add_(thetas[k], weights[k]);
            }

            return output;
        }

        if (Float32Chunks.IsHalf(thetas[0].dtype))
        {
            // Half precision: float32 products and sums, chunk by chunk, rounded to nearest even into the output.
            // Each product is rounded before the sum (no fused multiply-add), so the result does not depend on the kernel.
            var lanes = weights.Select(w => new Vector<float>((float)w)).ToArray();
            return Float32Chunks.Map(thetas, output, (chunks, length, result) =>
            {
                var sum = MemoryMarshal.Cast<float, Vector<float>>(result.AsSpan(0, length));
                var first = MemoryMarshal.Cast<float, Vector<float>>(chunks[0].AsSpan(0, length));
                for (var v = 0; v < sum.Length; v++)
                {
                    sum[v] = first[v] * lanes[0];
                }

                for (var k = 1; k < chunks.Length; k++)
                {
                    var theta = MemoryMarshal.Cast<float, Vector<float>>(chunks[k].AsSpan(0, length));
                    for (var v = 0; v < sum.Length; v++)
                    {
                        sum[v] += theta[v] * lanes[k];
                    }
                }
            });
        }

        using var scope = NewDisposeScope();
        var wide = Wider(thetas[0].dtype);
        var sum = thetas[0].to_type(wide).mul(weights[0]);
        for (var k = 1; k < thetas.Count; k++)
        {
            sum.add_(thetas[k].to_type(wide), weights[k]);
        }

        return sum.to_type(thetas[0].dtype).MoveToOuterDisposeScope();
    }

    private static ScalarType Wider(ScalarType type) => type is ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
}
