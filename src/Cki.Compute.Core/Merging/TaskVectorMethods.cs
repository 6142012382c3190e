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
        var merged = HalfPrecision.Map([.. input.Thetas, baseTheta], input.Output, chunks =>
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
        using var scope = NewDisposeScope();
        var vectors = TaskVectors.Of(input);
        var trimmed = stack(Enumerable.Range(0, input.Thetas.Count).Select(k => Trim(vectors[k])).ToArray());
        var sign = trimmed.sum(0L).sign();
        var agrees = trimmed.sign().eq(sign.unsqueeze(0)).logical_and(trimmed.ne(0));
        var kept = trimmed.where(agrees, zeros_like(trimmed));
        var count = agrees.sum(0L).clamp_min(1).to_type(ScalarType.Float32);
        return new MergeOutput(TaskVectors.Apply(input, kept.sum(0L).div(count), lambda).MoveToOuterDisposeScope(), null);
    }

    private Tensor Trim(Tensor taskVector)
    {
        var n = taskVector.numel();
        var keep = (long)Math.Ceiling(density * n);
        if (keep >= n)
        {
            return taskVector;
        }

        if (keep <= 0)
        {
            return zeros_like(taskVector);
        }

        // The k-th largest magnitude is the (n - k + 1)-th smallest.
        var magnitude = taskVector.abs().reshape(-1);
        var cutoff = magnitude.kthvalue(n - keep + 1, 0, false).values;
        return taskVector.where(taskVector.abs().ge(cutoff), zeros_like(taskVector));
    }
}
