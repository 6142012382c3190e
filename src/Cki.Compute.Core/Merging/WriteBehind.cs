using Cki.Compute.Checkpoints;
using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>
/// Writes a merge step's output on a background task while the next step's inputs are read (write-behind): one
/// write at a time, in layout order. The next step takes its output buffer only after <see cref="Finish"/>, which
/// hands this one back to the pool, so overlapping the write costs no buffer beyond the step's own K + 1.
/// </summary>
internal sealed class WriteBehind(ShardedCheckpointWriter writer, CancellationToken cancellationToken)
{
    private Task? _pending;
    private (TensorSpec Spec, Tensor Buffer)? _writing;

    /// <summary>Starts writing <paramref name="buffer"/> (flat, owned by this object until <see cref="Finish"/>) as tensor <paramref name="spec"/>.</summary>
    public void Start(TensorSpec spec, Tensor buffer)
    {
        if (_pending is not null)
        {
            throw new InvalidOperationException($"Tensor '{spec.Name}' is written before the previous write has finished.");
        }

        _writing = (spec, buffer);
        _pending = Task.Run(() =>
        {
            using var shaped = buffer.view([.. spec.Shape]);
            writer.Write(spec.Name, shaped, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Waits for the write under way, if any, throws its failure, and gives its buffer back to <paramref name="pool"/>.</summary>
    public void Finish(TensorPool pool)
    {
        if (_pending is null)
        {
            return;
        }

        _pending.GetAwaiter().GetResult();
        var (spec, buffer) = _writing!.Value;
        pool.Return(spec.Dtype.ToScalarType(), spec.ElementCount, buffer);
        _pending = null;
        _writing = null;
    }

    /// <summary>Waits for a write under way without throwing (the failure that matters is already propagating) and frees its buffer.</summary>
    public void Abandon()
    {
        try
        {
            _pending?.Wait(CancellationToken.None);
        }
        catch (AggregateException)
        {
        }

        _writing?.Buffer.Dispose();
        _pending = null;
        _writing = null;
    }
}
