using Cki.Compute.Checkpoints;
using static TorchSharp.torch;

namespace Cki.Compute.Merging;

/// <summary>
/// The K input buffers of one merge step. Each input is read (and hashed, when its checkpoint hashes) and checked
/// for non-finite values on a task of its own, so the K files are read side by side; the merger starts some of
/// them early (read-ahead, as far as its memory headroom allows) and the rest when the step begins. A buffer is
/// rented from the pool only when its read starts, so an input not read ahead costs no memory ahead of time.
/// </summary>
internal sealed class StepReads(TensorSpec spec, IReadOnlyList<Checkpoint> sources, bool allowNonFinite, CancellationToken cancellationToken)
{
    private readonly List<Tensor> _buffers = [];
    private readonly List<Task> _reads = [];

    /// <summary>The tensor this step reads.</summary>
    public TensorSpec Spec => spec;

    /// <summary>How many inputs the step reads.</summary>
    public int Count => sources.Count;

    /// <summary>How many reads have started.</summary>
    public int Started => _reads.Count;

    /// <summary>Bytes of one input buffer.</summary>
    public long BufferBytes => spec.ByteCount;

    /// <summary>Starts the reads of the inputs up to <paramref name="count"/> (those not started yet), each into a buffer from <paramref name="pool"/>.</summary>
    public void StartUpTo(int count, TensorPool pool)
    {
        var type = spec.Dtype.ToScalarType();
        while (_reads.Count < Math.Min(count, sources.Count))
        {
            var k = _reads.Count;
            var buffer = pool.Rent(type, spec.ElementCount);
            _buffers.Add(buffer);
            _reads.Add(Task.Run(() => ReadOne(sources[k], buffer), cancellationToken));
        }
    }

    /// <summary>Starts what has not started and waits for every input; the first failure is thrown as it was.</summary>
    public void Wait(TensorPool pool)
    {
        StartUpTo(sources.Count, pool);
        foreach (var read in _reads)
        {
            read.GetAwaiter().GetResult();
        }
    }

    /// <summary>The inputs shaped as the tensor (views in the current dispose scope); only after <see cref="Wait"/>.</summary>
    public List<Tensor> Tensors() => _buffers.Select(b => b.view([.. spec.Shape])).ToList();

    /// <summary>Gives the buffers back for reuse; only after <see cref="Wait"/>.</summary>
    public void ReturnTo(TensorPool pool)
    {
        var type = spec.Dtype.ToScalarType();
        _buffers.ForEach(b => pool.Return(type, spec.ElementCount, b));
        _buffers.Clear();
    }

    /// <summary>Waits for reads under way without throwing (the failure that matters is already propagating) and frees the buffers.</summary>
    public void Abandon()
    {
        foreach (var read in _reads)
        {
            try
            {
                read.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
            }
        }

        _buffers.ForEach(b => b.Dispose());
        _buffers.Clear();
    }

    private void ReadOne(Checkpoint source, Tensor buffer)
    {
        source.ReadTensor(spec.Name, buffer, cancellationToken);
        using var scope = NewDisposeScope();
        FiniteCheck.Ensure(source.Location, spec, buffer.view([.. spec.Shape]), allowNonFinite);
    }
}
