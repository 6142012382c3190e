using System.Globalization;

namespace Cki.Contracts.Checkpoints;

/// <summary>What a checkpoint says of one tensor before any of its data is read.</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="Dtype">Its element type.</param>
/// <param name="Shape">Its dimensions (empty for a scalar).</param>
public sealed record TensorSpec(string Name, TensorDtype Dtype, IReadOnlyList<long> Shape)
{
    /// <summary>Number of elements (1 for a scalar). Validated headers guarantee it does not overflow.</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, dim) => checked(product * dim));

    /// <summary>Size of the data in bytes.</summary>
    public long ByteCount => checked(ElementCount * Dtype.ElementSize());

    /// <summary>The shape as <c>[a, b]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <summary>Whether two specs agree on dtype and shape (names aside).</summary>
    public bool SameLayout(TensorSpec other) =>
        Dtype == other.Dtype && Shape.SequenceEqual(other.Shape);
}

/// <summary>A tensor of a safetensors file: its spec and where its bytes are, relative to the data buffer.</summary>
/// <param name="Spec">Name, dtype and shape.</param>
/// <param name="Begin">First byte in the data buffer.</param>
/// <param name="End">One past the last byte in the data buffer.</param>
public sealed record TensorEntry(TensorSpec Spec, long Begin, long End)
{
    /// <summary>The tensor's name.</summary>
    public string Name => Spec.Name;
}
