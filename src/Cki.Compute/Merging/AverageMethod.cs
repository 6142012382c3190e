using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>The uniform mean of the models' tensors (model soup): a baseline beside CKI.</summary>
public sealed class AverageMethod : IMergeMethod
{
    /// <inheritdoc />
    public string Name => "average";

    /// <inheritdoc />
    public (Tensor Merged, double[]? ModelWeights) Merge(string tensorName, IReadOnlyList<Tensor> thetas)
    {
        ArgumentNullException.ThrowIfNull(thetas);
        using var scope = NewDisposeScope();
        var dtype = thetas[0].dtype;
        var sum = thetas[0].to_type(ScalarType.Float32, copy: true);
        foreach (var theta in thetas.Skip(1))
        {
            sum.add_(theta.to_type(ScalarType.Float32));
        }

        var merged = sum.div_(thetas.Count).to_type(dtype);
        return (merged.MoveToOuterDisposeScope(), Enumerable.Repeat(1.0 / thetas.Count, thetas.Count).ToArray());
    }
}
