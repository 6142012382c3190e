namespace Cki.Contracts.Jobs;

/// <summary>
/// <c>profile.json</c>, what a profile job writes about one input checkpoint and what splice jobs (entropies) and
/// the assembly (file digests, for provenance) read back.
/// </summary>
public sealed record ProfileDocument
{
    /// <summary>The checkpoint profiled, as a blob reference (<c>container/name</c>).</summary>
    public required string Checkpoint { get; init; }

    /// <summary>Its files with their SHA-256.</summary>
    public IReadOnlyList<ProfiledFile> Files { get; init; } = [];

    /// <summary>Its tensors in file order.</summary>
    public IReadOnlyList<TensorProfile> Tensors { get; init; } = [];
}

/// <summary>One file of a profiled checkpoint.</summary>
/// <param name="File">The file as a blob reference (<c>container/name</c>).</param>
/// <param name="Sha256">Its SHA-256, lower-case hex.</param>
public sealed record ProfiledFile(string File, string Sha256);

/// <summary>
/// The statistics of one tensor. Statistics are null for integer tensors, and where a value is not finite (JSON has
/// no NaN or infinity); <see cref="Entropy"/>, the global term's, is null for a tensor with non-finite values.
/// </summary>
public sealed record TensorProfile
{
    /// <summary>The tensor's name.</summary>
    public required string Name { get; init; }

    /// <summary>Its safetensors dtype, e.g. <c>F32</c>.</summary>
    public required string Dtype { get; init; }

    /// <summary>Its element count.</summary>
    public long Count { get; init; }

    /// <summary>NaN and infinite elements (floating point only).</summary>
    public long? NonFinite { get; init; }

    /// <summary>The smallest value.</summary>
    public double? Min { get; init; }

    /// <summary>The largest value.</summary>
    public double? Max { get; init; }

    /// <summary>The mean.</summary>
    public double? Mean { get; init; }

    /// <summary>The standard deviation.</summary>
    public double? Std { get; init; }

    /// <summary>The 10-bin entropy of the global information term.</summary>
    public double? Entropy { get; init; }
}
