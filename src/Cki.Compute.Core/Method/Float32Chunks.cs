using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Cki.Compute.Method;

/// <summary>
/// One chunk of element-wise merge arithmetic: <paramref name="inputs"/>[k] holds input k's elements of the chunk in
/// float32 (a copy the kernel may overwrite), and the kernel writes the merged elements into <paramref name="result"/>.
/// Both are <paramref name="length"/> long, a whole number of <see cref="Vector{T}"/>s: elements past the chunk's
/// real end are padding whose results are dropped, so a kernel needs no scalar tail.
/// </summary>
internal delegate void Float32Kernel(float[][] inputs, int length, float[] result);

/// <summary>
/// Element-wise merge arithmetic in float32, chunk by chunk: each chunk of the inputs is converted to float32 into
/// reused buffers (BF16 and F16 in C#, <see cref="HalfBits"/>), the kernel computes in C#, and the result is
/// rounded to the output's type (nearest even, as PyTorch does) straight into the output's memory. No tensor is
/// made per chunk, so memory stays at the K inputs, the output and K + 1 chunk buffers, and the work stays in cache.
/// The chunk buffers come from <see cref="ArrayPool{T}.Shared"/> and go back to it, so a process touches them once
/// rather than once per tensor (fresh managed arrays were 0.7 GB of page faults in a 2 x 3 GB TIES merge). A rented
/// buffer holds old values past what a chunk loads: that is padding, whose results are dropped. A large tensor's
/// <see cref="Map"/> runs in two halves on two cores, each element computed as it is in one pass.
/// CPU tensors only (the merge engine's buffers are).
/// </summary>
internal static class Float32Chunks
{
    /// <summary>Elements per chunk: 1 MB per float32 buffer, so the K + 1 buffers of a step stay in cache.</summary>
    internal const int ChunkElements = 1 << 18;

    /// <summary>Whether <paramref name="type"/> is a 16-bit float type whose merges run in float32.</summary>
    public static bool IsHalf(ScalarType type) => type is ScalarType.BFloat16 or ScalarType.Float16;

    /// <summary>
    /// Writes <paramref name="kernel"/>(float32 chunks of <paramref name="inputs"/>) into <paramref name="output"/>
    /// (contiguous, of the inputs' element count; a new tensor of the first input's dtype and shape when null) and returns it.
    /// </summary>
    public static Tensor Map(IReadOnlyList<Tensor> inputs, Tensor? output, Float32Kernel kernel)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(kernel);
        output ??= empty_like(inputs[0]);
        using var flatOutput = output.view(-1);
        var flats = inputs.Select(t => t.contiguous().view(-1)).ToList();
        try
        {
            var n = flatOutput.numel();
            var parts = Parts(n);
            Parallel.For(0, parts, part =>
            {
                var from = n * part / parts;
                var count = (n * (part + 1) / parts) - from;
                var views = flats.Select(f => f.narrow(0, from, count)).ToList();
                using var target = flatOutput.narrow(0, from, count);
                var result = ArrayPool<float>.Shared.Rent(BufferLength(count));
                try
                {
                    ForEach(views, (start, length, chunks) =>
                    {
                        kernel(chunks, Padded(length), result);
                        Store(result.AsSpan(0, length), target, start);
                    });
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(result);
                    views.ForEach(v => v.Dispose());
                }
            });
        }
        finally
        {
            flats.ForEach(f => f.Dispose());
        }

        return output;
    }

    /// <summary>How many parts, each on a core of its own, a pass over <paramref name="elements"/> elements is split into: two for a large tensor.</summary>
    internal static int Parts(long elements) => elements >= 4L * ChunkElements ? Math.Min(2, Environment.ProcessorCount) : 1;

    /// <summary>
    /// Calls <paramref name="visit"/>(start, length, chunks) with float32 copies of <paramref name="inputs"/>' chunks (all
    /// of one element count), in order. The copies are <see cref="Padded"/>(length) long; past length they hold padding.
    /// </summary>
    public static void ForEach(IReadOnlyList<Tensor> inputs, Action<long, int, float[][]> visit)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(visit);
        var flats = inputs.Select(t => t.contiguous().view(-1)).ToList();
        float[][] chunks = [];
        try
        {
            var count = flats[0].numel();
            chunks = flats.Select(_ => ArrayPool<float>.Shared.Rent(BufferLength(count))).ToArray();
            for (long start = 0; start < count; start += ChunkElements)
            {
                var length = (int)Math.Min(ChunkElements, count - start);
                for (var k = 0; k < flats.Count; k++)
                {
                    Load(flats[k], start, chunks[k].AsSpan(0, length));
                }

                visit(start, length, chunks);
            }
        }
        finally
        {
            flats.ForEach(f => f.Dispose());
            Array.ForEach(chunks, c => ArrayPool<float>.Shared.Return(c));
        }
    }

    /// <summary>The length of a chunk buffer for tensors of <paramref name="elements"/> elements: a small tensor gets a small buffer.</summary>
    public static int BufferLength(long elements) => Padded((int)Math.Min(ChunkElements, elements));

    /// <summary><paramref name="length"/> rounded up to a whole number of vectors (never past <see cref="ChunkElements"/>).</summary>
    public static int Padded(int length) => (length + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;

    /// <summary>Elements [start, start + destination.Length) of <paramref name="flat"/> in float32.</summary>
    private static void Load(Tensor flat, long start, Span<float> destination)
    {
        using var part = flat.narrow(0, start, destination.Length);
        var bytes = part.bytes;
        switch (flat.dtype)
        {
            case ScalarType.BFloat16:
                HalfBits.WidenBf16(MemoryMarshal.Cast<byte, ushort>(bytes), destination);
                break;
            case ScalarType.Float16:
                HalfBits.WidenF16(MemoryMarshal.Cast<byte, Half>(bytes), destination);
                break;
            case ScalarType.Float32:
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(destination);
                break;
            case ScalarType.Float64:
                var wide = MemoryMarshal.Cast<byte, double>(bytes);
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)wide[i];
                }

                break;
            default:
                throw new NotSupportedException($"Float32 merge arithmetic does not take {flat.dtype} tensors.");
        }
    }

    /// <summary>Writes <paramref name="source"/> into <paramref name="flat"/> from <paramref name="start"/>, rounded to its type.</summary>
    private static void Store(ReadOnlySpan<float> source, Tensor flat, long start)
    {
        using var part = flat.narrow(0, start, source.Length);
        var bytes = part.bytes;
        switch (flat.dtype)
        {
            case ScalarType.BFloat16:
                HalfBits.NarrowBf16(source, MemoryMarshal.Cast<byte, ushort>(bytes));
                break;
            case ScalarType.Float16:
                HalfBits.NarrowF16(source, MemoryMarshal.Cast<byte, Half>(bytes));
                break;
            case ScalarType.Float32:
                source.CopyTo(MemoryMarshal.Cast<byte, float>(bytes));
                break;
            case ScalarType.Float64:
                var wide = MemoryMarshal.Cast<byte, double>(bytes);
                for (var i = 0; i < source.Length; i++)
                {
                    wide[i] = source[i];
                }

                break;
            default:
                throw new NotSupportedException($"Float32 merge arithmetic does not write {flat.dtype} tensors.");
        }
    }
}
