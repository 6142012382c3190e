using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>
/// Reusable flat read buffers for a merge. Reading into fresh memory costs a page fault and a zeroing per page
/// (about a third of read throughput here); reusing buffers of the same dtype and size avoids that. Free buffers
/// are kept up to <c>capacityBytes</c>, the oldest released first, so memory stays bounded by the largest step.
/// New buffers ask for huge pages (<see cref="HugePages"/>): their first touch then faults once per 2 MB.
/// </summary>
internal sealed class TensorPool(long capacityBytes) : IDisposable
{
    private readonly LinkedList<(ScalarType Type, long Count, Tensor Buffer)> _free = new();
    private long _freeBytes;

    /// <summary>A flat contiguous buffer of <paramref name="count"/> elements of <paramref name="type"/>, outside any dispose scope.</summary>
    public Tensor Rent(ScalarType type, long count)
    {
        for (var node = _free.First; node is not null; node = node.Next)
        {
            if (node.Value.Type == type && node.Value.Count == count)
            {
                _free.Remove(node);
                _freeBytes -= Bytes(node.Value.Buffer);
                return node.Value.Buffer;
            }
        }

        var buffer = empty([count], type).DetachFromDisposeScope();
        HugePages.Advise(buffer);
        return buffer;
    }

    /// <summary>Gives a buffer back for reuse.</summary>
    public void Return(ScalarType type, long count, Tensor buffer)
    {
        _free.AddLast((type, count, buffer));
        _freeBytes += Bytes(buffer);
        while (_freeBytes > capacityBytes && _free.First is { } oldest)
        {
            _free.RemoveFirst();
            _freeBytes -= Bytes(oldest.Value.Buffer);
            oldest.Value.Buffer.Dispose();
        }
    }

    private static long Bytes(Tensor t) => t.numel() * t.element_size();

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (_, _, buffer) in _free)
        {
            buffer.Dispose();
        }

        _free.Clear();
    }
}
