using System.Text.Json;
using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>For one merged tensor: which model its parameters came from.</summary>
/// <param name="Name">The tensor.</param>
/// <param name="Shape">Its shape.</param>
/// <param name="Share">Per model, the share of elements where that model has the largest weight (ties to the lower index).</param>
/// <param name="MeanWeight">Per model, the mean weight over the elements.</param>
public sealed record TensorCompatibility(string Name, IReadOnlyList<long> Shape, IReadOnlyList<double> Share, IReadOnlyList<double> MeanWeight)
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

/// <summary>The per-tensor compatibility summary written beside every merged model.</summary>
/// <param name="Method">The merge method.</param>
/// <param name="Models">The input locations, model A first.</param>
/// <param name="Tensors">One entry per merged tensor that has weights.</param>
public sealed record CompatibilitySummary(string Method, IReadOnlyList<string> Models, IReadOnlyList<TensorCompatibility> Tensors)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The summary as indented JSON.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Reads a summary written by <see cref="ToJson"/>.</summary>
    public static CompatibilitySummary? Parse(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize<CompatibilitySummary>(json, Json);
}
