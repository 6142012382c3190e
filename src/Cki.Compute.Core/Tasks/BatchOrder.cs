using static TorchSharp.torch;

namespace Cki.Compute.Tasks;

/// <summary>The order in which a task's batches take a split's samples.</summary>
internal static class BatchOrder
{
    /// <summary>
    /// The sample indices of <paramref name="split"/> (<paramref name="count"/> samples) on <paramref name="device"/>:
    /// shuffled with <paramref name="shuffleSeed"/> for training, in order otherwise. The permutation is drawn on the
    /// CPU, so a seed gives the same batches on every device.
    /// </summary>
    public static Tensor Of(TaskSplit split, long count, int shuffleSeed, Device device)
    {
        if (split != TaskSplit.Train)
        {
            return arange(count, ScalarType.Int64, device);
        }

        using var generator = new Generator((ulong)shuffleSeed);
        using var order = randperm(count, generator: generator);
        return order.to(device);
    }

    /// <summary>
    /// The rows of <paramref name="data"/> at <paramref name="index"/> (one batch). Advanced indexing rather than
    /// <c>index_select</c>, which gives the same rows: libtorch has a meta kernel for it, so the tests can check on the
    /// meta device that batches are built where the task keeps its data.
    /// </summary>
    public static Tensor Rows(Tensor data, Tensor index) => data[TensorIndex.Tensor(index)];
}
