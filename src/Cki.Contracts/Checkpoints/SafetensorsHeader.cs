namespace Cki.Contracts.Checkpoints;

/// <summary>The validated header of one safetensors file.</summary>
/// <param name="Tensors">The tensors in the order of their bytes in the data buffer.</param>
/// <param name="Metadata">The <c>__metadata__</c> string map (empty when absent).</param>
/// <param name="HeaderLength">Length of the JSON header in bytes (the data buffer starts at 8 + this).</param>
public sealed record SafetensorsHeader(
    IReadOnlyList<TensorEntry> Tensors,
    IReadOnlyDictionary<string, string> Metadata,
    long HeaderLength)
{
    /// <summary>Where the data buffer starts in the file.</summary>
    public long DataStart => 8 + HeaderLength;

    /// <summary>The size of the data buffer.</summary>
    public long DataLength => Tensors.Count == 0 ? 0 : Tensors[^1].End;
}
