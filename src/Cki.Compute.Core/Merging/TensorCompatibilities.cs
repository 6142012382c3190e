using Cki.Contracts.Runs;
using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>Summaries of a merged tensor's weights, for <see cref="CompatibilitySummary"/>.</summary>
public static class TensorCompatibilities
{
    extension(TensorCompatibility)
    {
        /// <summary>Summarises <paramref name="weights"/> (<c>[K]</c> or <c>[K, ...shape]</c>).</summary>
        public static TensorCompatibility Of(string name, long[] shape, Tensor weights)
        {
            ArgumentNullException.ThrowIfNull(weights);
            using var scope = NewDisposeScope();
            var models = weights.shape[0];
            var flat = weights.to_type(ScalarType.Float64).reshape(models, -1);
            var mean = flat.mean([1L]).data<double>().ToArray();
            var share = flat.argmax(0L).bincount(null, models).to_type(ScalarType.Float64).div(flat.shape[1]).data<double>().ToArray();
            return new TensorCompatibility(name, shape, share, mean);
        }
    }
}
