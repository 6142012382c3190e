using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>The task-vector arithmetic that task arithmetic and TIES share: vectors against the base, and back.</summary>
internal static class TaskVectors
{
    /// <summary>The K task vectors <c>theta_k - base</c> in float32, stacked along a new first dimension.</summary>
    public static Tensor Of(MergeInput input)
    {
        var baseTheta = (input.Base ?? throw new InvalidOperationException($"{input.TensorName}: task vectors need a base model.")).to_type(ScalarType.Float32);
        return stack(input.Thetas.Select(t => t.to_type(ScalarType.Float32).sub(baseTheta)).ToArray());
    }

    /// <summary><c>base + lambda * combined</c> in the inputs' dtype.</summary>
    public static Tensor Apply(MergeInput input, Tensor combined, double lambda) =>
        input.Base!.to_type(ScalarType.Float32).add(combined.mul(lambda)).to_type(input.Thetas[0].dtype);
}
