using System.Numerics;
using System.Runtime.InteropServices;
using Cki.Compute.Method;
using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>
/// The two pruning baselines: model A's tensor with every element whose score is not above the threshold set to
/// zero. They differ only in the score.
/// </summary>
public abstract class PruneMethod(double threshold) : IMergeMethod
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public CompatibilityMapKind MapKind => CompatibilityMapKind.None;

    /// <inheritdoc />
    public MergeOutput Merge(MergeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var a = input.Thetas[0];
        using var scope = NewDisposeScope();
        if (!Float32Chunks.IsHalf(a.dtype))
        {
            return new MergeOutput(a.where(Score(a).gt(threshold), zeros_like(a)).MoveToOuterDisposeScope(), null);
        }

        // BF16/F16: compared in float32, chunk by chunk. In the tensor's own type the threshold would be rounded first
        // (0.02 becomes 0.0200195 in BF16) and an element equal to that would be dropped. A kept element goes
        // through float32 and back unchanged; NaN is never kept.
        var cut = new Vector<float>((float)threshold);
        var pruned = Float32Chunks.Map([a], input.Output, (chunks, length, result) =>
        {
            var weights = MemoryMarshal.Cast<float, Vector<float>>(chunks[0].AsSpan(0, length));
            var kept = MemoryMarshal.Cast<float, Vector<float>>(result.AsSpan(0, length));
            for (var v = 0; v < weights.Length; v++)
            {
                kept[v] = Vector.ConditionalSelect(Vector.GreaterThan(Score(weights[v]), cut), weights[v], Vector<float>.Zero);
            }
        });
        return new MergeOutput(input.Output is null ? pruned.MoveToOuterDisposeScope() : pruned, null);
    }

    /// <summary>What is compared with the threshold.</summary>
    protected abstract Tensor Score(Tensor weights);

    /// <summary>The same score over float32 lanes (BF16/F16 models).</summary>
    protected abstract Vector<float> Score(Vector<float> weights);
}

/// <summary>
/// Pruning as the authors coded it (<c>prune-reference</c>), threshold 0.02 by default. The comparison is signed, so
/// it also zeroes every negative weight; that is the reference behaviour, reported as "pruning (reference)".
/// </summary>
public sealed class PruneReferenceMethod(double threshold) : PruneMethod(threshold)
{
    /// <inheritdoc />
    public override string Name => "prune-reference";

    /// <inheritdoc />
    protected override Tensor Score(Tensor weights) => weights;

    /// <inheritdoc />
    protected override Vector<float> Score(Vector<float> weights) => weights;
}

/// <summary>Magnitude pruning (<c>prune-magnitude</c>): every |w| not above the threshold is set to zero.</summary>
public sealed class PruneMagnitudeMethod(double threshold) : PruneMethod(threshold)
{
    /// <inheritdoc />
    public override string Name => "prune-magnitude";

    /// <inheritdoc />
    protected override Tensor Score(Tensor weights) => weights.abs();

    /// <inheritdoc />
    protected override Vector<float> Score(Vector<float> weights) => Vector.Abs(weights);
}
