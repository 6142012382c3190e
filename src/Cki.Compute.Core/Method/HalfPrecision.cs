using static TorchSharp.torch;

namespace Cki.Compute.Method;

/// <summary>
/// Element-wise merges of half-precision tensors (BF16, F16): the arithmetic runs in float32, chunk by chunk, and
/// each chunk's result is rounded back into the output (libtorch's float32 to BF16/F16 conversion rounds to nearest
/// even, as PyTorch does). Chunks keep the float32 copies small: memory stays at the K inputs and the output
/// instead of two float32 copies of the whole tensor per input, and the work stays in cache.
/// </summary>
internal static class HalfPrecision
{
    /// <summary>Elements per chunk: 4 MB per float32 copy of one input.</summary>
    internal const long ChunkElements = 1L << 20;

    /// <summary>Whether <paramref name="type"/> is a 16-bit float type whose merges run in float32.</summary>
    public static bool IsHalf(ScalarType type) => type is ScalarType.BFloat16 or ScalarType.Float16;

    /// <summary>
    /// Writes <paramref name="compute"/>(float32 chunks of <paramref name="inputs"/>) into <paramref name="output"/>
    /// (of the inputs' shape; a new tensor of the first input's dtype when null), chunk by chunk, and returns it.
    /// <paramref name="compute"/> gets fresh float32 copies (when the inputs are not float32 already) it may change in place.
    /// </summary>
    public static Tensor Map(IReadOnlyList<Tensor> inputs, Tensor? output, Func<IReadOnlyList<Tensor>, Tensor> compute)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        output ??= empty_like(inputs[0]);
        using var flatOutput = output.view(-1);
        var flats = inputs.Select(t => t.contiguous().view(-1)).ToList();
        try
        {
            var count = flatOutput.numel();
            for (long start = 0; start < count; start += ChunkElements)
            {
                using var scope = NewDisposeScope();
                var length = Math.Min(ChunkElements, count - start);
                var chunks = flats.Select(f => f.narrow(0, start, length).to_type(ScalarType.Float32)).ToList();
                flatOutput.narrow(0, start, length).copy_(compute(chunks));
            }
        }
        finally
        {
            flats.ForEach(f => f.Dispose());
        }

        return output;
    }
}
