using static TorchSharp.torch;

namespace Cki.Compute.Method;

/// <summary>
/// Per-model splicing weights of one tensor (docs/method.md: forms): a tensor <c>[K, ...shape]</c> whose slices sum to 1
/// element-wise. <c>global</c> holds g_k per model; <c>local</c> holds l_k per model and element
/// (<c>[K, ...shape]</c>; for two models l_B = 1 - l_A).
/// </summary>
public static class CompatibilityWeights
{
    /// <summary>The weights of <paramref name="form"/>; <paramref name="local"/> may be null only for
    /// <see cref="CompatibilityForm.GlobalOnly"/>, and then <paramref name="shape"/> gives the tensor's shape.</summary>
    public static Tensor Compute(CompatibilityForm form, IReadOnlyList<double> global, Tensor? local, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(shape);
        var models = global.Count;
        if (models < 2)
        {
            throw new ArgumentException($"Integration needs at least 2 models; got {models}.", nameof(global));
        }

        if (form != CompatibilityForm.GlobalOnly)
        {
            ArgumentNullException.ThrowIfNull(local);
            if (local.shape[0] != models)
            {
                throw new ArgumentException($"local holds {local.shape[0]} models, global {models}.", nameof(local));
            }
        }

        using var scope = NewDisposeScope();
        var g = GlobalColumn(global, local?.dtype ?? ScalarType.Float32, shape.Length, local?.device ?? CPU);
        Tensor weights = form switch
        {
            CompatibilityForm.ExpSoftmax => g.mul(g.neg().mul(local!).exp().neg().add(1)).softmax(0L),
            CompatibilityForm.Linear => Linear(global, local!),
            CompatibilityForm.LocalOnly => local!.div(local!.sum(0L, keepdim: true)),
            CompatibilityForm.GlobalOnly => g.div(g.sum()).expand([models, .. shape]).contiguous(),
            _ => throw new ArgumentOutOfRangeException(nameof(form), form, null),
        };
        return weights.MoveToOuterDisposeScope();
    }

    private static Tensor Linear(IReadOnlyList<double> global, Tensor local)
    {
        if (global.Count != 2)
        {
            throw new ArgumentException($"form 'linear' is defined for two models only; got {global.Count}. Use 'exp-softmax' for K > 2.");
        }

        var wg = global[0];
        var wa = local[0].mul(wg).add_(1 - wg);
        return stack([wa, wa.neg().add_(1)]);
    }

    // g as a [K, 1, 1, ...] column on the local term's device, so it broadcasts over the tensor's elements.
    private static Tensor GlobalColumn(IReadOnlyList<double> global, ScalarType dtype, int rank, Device device) =>
        tensor(global.ToArray(), ScalarType.Float64, device).to_type(dtype).reshape([global.Count, .. Enumerable.Repeat(1L, rank)]);
}
