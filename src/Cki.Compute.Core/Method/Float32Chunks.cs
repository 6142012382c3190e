using static TorchSharp.torch;

namespace Cki.Compute.Method;

/// <summary>
/// Element-wise merge arithmetic in float32, chunk by chunk: each chunk's inputs are converted to float32, the result
/// is written into the output's chunk (libtorch's float32 to BF16/F16 conversion rounds to nearest even, as PyTorch
/// does). Chunks keep the float32 copies small: memory stays at the K inputs and the output instead of float32
/// copies of whole tensors, and the work stays in cache.
/// </summary>
internal static class Float32Chunks
{
    /// <summary>Elements per chunk: 4 MB per float32 copy of one input.</summary>
    internal const long ChunkElements = 1L << 20;

    /// <summary>Whether <paramref name="type"/> is a 16-bit float type whose merges run in float32.</summary>
    public static bool IsHalf(ScalarType type) => type is ScalarType.BFloat16 or ScalarType.Float16;

    /// <summary>
    /// Calls <paramref name="visit"/> with float32 chunks of <paramref name="inputs"/> (all of one element count), in
    /// order, each in its own dispose scope. A float32 input's chunks are views of it: change them only if they are copies.
    /// </summary>
    public static void ForEach(IReadOnlyList<Tensor> inputs, Action<long, long, IReadOnlyList<Tensor>> visit)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(visit);
        var flats = inputs.Select(t => t.contiguous().view(-1)).ToList();
        try
        {
            var count = flats[0].numel();
            for (long start = 0; start < count; start += ChunkElements)
            {
                using var scope = NewDisposeScope();
                var length = Math.Min(ChunkElements, count - start);
                visit(start, length, flats.Select(f => f.narrow(0, start, length).to_type(ScalarType.Float32)).ToList());
            }
        }
        finally
        {
            flats.ForEach(f => f.Dispose());
        }
    }

    /// <summary>
    /// Writes <paramref name="compute"/>(float32 chunks of <paramref name="inputs"/>) into <paramref name="output"/>
    /// (of the inputs' shape; a new tensor of the first input's dtype when null), chunk by chunk, and returns it.
    /// <paramref name="compute"/> gets fresh float32 copies it may change in place when the inputs are not float32.
    /// </summary>
    public static Tensor Map(IReadOnlyList<Tensor> inputs, Tensor? output, Func<IReadOnlyList<Tensor>, Tensor> compute)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        output ??= empty_like(inputs[0]);
        using var flatOutput = output.view(-1);
        ForEach(inputs, (start, length, chunks) => flatOutput.narrow(0, start, length).copy_(compute(chunks)));
        return output;
    }
}
