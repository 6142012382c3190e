using Cki.Compute.Method;
using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>
/// Task arithmetic against a base model: <c>base + lambda * sum_k (theta_k - base)</c>, for users who come from
/// model-merging tools. Data-free.
/// </summary>
public sealed class TaskArithmeticMethod(double lambda) : IMergeMethod
{
    /// <inheritdoc />
    public string Name => "task-arithmetic";

    /// <inheritdoc />
    public bool NeedsBase => true;

    /// <inheritdoc />
    public CompatibilityMapKind MapKind => CompatibilityMapKind.None;

    /// <inheritdoc />
    public MergeOutput Merge(MergeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var baseTheta = input.Base ?? throw new InvalidOperationException($"{input.TensorName}: task arithmetic needs a base model.");
        using var scope = NewDisposeScope();
        // Element-wise, so chunk by chunk in float32 (whatever the inputs' type): memory stays at the inputs and the
        // output, and half-precision results are rounded to nearest even once, at the end.
        var merged = Float32Chunks.Map([.. input.Thetas, baseTheta], input.Output, chunks =>
        {
            var b = chunks[^1];
            var sum = chunks[0].sub(b);
            for (var k = 1; k < chunks.Count - 1; k++)
            {
                sum.add_(chunks[k].sub(b));
            }

            return b.add(sum.mul_(lambda));
        });
        return new MergeOutput(input.Output is null ? merged.MoveToOuterDisposeScope() : merged, null);
    }
}

/// <summary>
/// TIES merging (Yadav et al. 2023) against a base model: keep each task vector's top <c>density</c> share of
/// elements by magnitude, elect each element's sign by the sign of the kept values' sum, average the kept values
/// that agree with it, and add <c>lambda</c> times that to the base.
/// </summary>
public sealed class TiesMethod(double density, double lambda) : IMergeMethod
{
    /// <inheritdoc />
    public string Name => "ties";

    /// <inheritdoc />
    public bool NeedsBase => true;

    /// <inheritdoc />
    public CompatibilityMapKind MapKind => CompatibilityMapKind.None;

    /// <inheritdoc />
    public MergeOutput Merge(MergeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var baseTheta = input.Base ?? throw new InvalidOperationException($"{input.TensorName}: TIES needs a base model.");
        var n = baseTheta.numel();
        var keep = (long)Math.Ceiling(density * n);
        // Each task vector keeps the elements at least as large as its keep-th largest magnitude (NaN keeps none).
        // The cutoffs come from a radix select over chunks, so memory stays at the inputs and the output.
        var cutoffs = input.Thetas.Select(theta => keep >= n ? 0f : keep <= 0 ? float.NaN : MagnitudeCutoff.Smallest(theta, baseTheta, n - keep + 1)).ToArray();
        using var scope = NewDisposeScope();
        var merged = Float32Chunks.Map([.. input.Thetas, baseTheta], input.Output, chunks =>
        {
            var b = chunks[^1];
            var trimmed = stack(Enumerable.Range(0, chunks.Count - 1).Select(k =>
            {
                var vector = chunks[k].sub(b);
                return vector.where(vector.abs().ge(cutoffs[k]), zeros_like(vector));
            }).ToArray());
            var sign = trimmed.sum(0L).sign();
            var agrees = trimmed.sign().eq(sign.unsqueeze(0)).logical_and(trimmed.ne(0));
            var kept = trimmed.where(agrees, zeros_like(trimmed));
            var count = agrees.sum(0L).clamp_min(1).to_type(ScalarType.Float32);
            return b.add(kept.sum(0L).div(count).mul(lambda));
        });
        return new MergeOutput(input.Output is null ? merged.MoveToOuterDisposeScope() : merged, null);
    }
}
