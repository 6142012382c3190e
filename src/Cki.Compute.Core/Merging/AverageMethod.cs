using Cki.Contracts.Manifests;
using System.Numerics;
using System.Runtime.InteropServices;
using Cki.Compute.Method;
using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>The uniform mean of the models' tensors (model soup): a baseline beside CKI.</summary>
public sealed class AverageMethod : IMergeMethod
{
    /// <inheritdoc />
    public string Name => MergeMethods.Average.Name;

    /// <inheritdoc />
    public CompatibilityMapKind MapKind => CompatibilityMapKind.PerTensor;

    /// <inheritdoc />
    public MergeOutput Merge(MergeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var thetas = input.Thetas;
        using var scope = NewDisposeScope();
        var weights = full(thetas.Count, 1.0f / thetas.Count).MoveToOuterDisposeScope();
        if (input.Output is { } output && thetas[0].dtype is ScalarType.Float32 or ScalarType.Float64)
        {
            // Full-precision inputs: accumulate straight into the caller's buffer.
            output.copy_(thetas[0]);
            foreach (var theta in thetas.Skip(1))
            {
                output.add_(theta);
            }

            return new MergeOutput(output.div_(thetas.Count), weights);
        }

        if (Float32Chunks.IsHalf(thetas[0].dtype))
        {
            // BF16/F16: the same sum and division in float32, chunk by chunk, rounded to nearest even into the output.
            var merged16 = Float32Chunks.Map(thetas, input.Output, (chunks, length, result) =>
            {
                var total = MemoryMarshal.Cast<float, Vector<float>>(result.AsSpan(0, length));
                MemoryMarshal.Cast<float, Vector<float>>(chunks[0].AsSpan(0, length)).CopyTo(total);
                foreach (var chunk in chunks.Skip(1))
                {
                    var theta = MemoryMarshal.Cast<float, Vector<float>>(chunk.AsSpan(0, length));
                    for (var v = 0; v < total.Length; v++)
                    {
                        total[v] += theta[v];
                    }
                }

                var models = new Vector<float>(thetas.Count);
                for (var v = 0; v < total.Length; v++)
                {
                    total[v] /= models;
                }
            });
            return new MergeOutput(input.Output is null ? merged16.MoveToOuterDisposeScope() : merged16, weights);
        }

        var sum = thetas[0].to_type(ScalarType.Float32, copy: true);
        foreach (var theta in thetas.Skip(1))
        {
            sum.add_(theta.to_type(ScalarType.Float32));
        }

        var merged = sum.div_(thetas.Count).to_type(thetas[0].dtype);
        return new MergeOutput(merged.MoveToOuterDisposeScope(), weights);
    }
}
