using Cki.Compute.Tasks;
using Cki.Compute.Tasks.Din;
using static TorchSharp.torch;

namespace Cki.Compute.Experiments;

/// <summary>
/// The shared-trunk setting (the one of the authors' language code): model B is a second head, initialised from another
/// seed and trained on the same features as model A, on top of A's trunk, which stays frozen. Splicing the two heads then
/// needs no trunk training to be meaningful, because both heads read exactly the same features.
/// </summary>
internal static class SharedTrunk
{
    /// <summary>The trunk: every tensor of the layout outside the head (its weights and its biases).</summary>
    public static IReadOnlySet<string> Trunk(DinTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Layout.Select(s => s.Name).Except(task.HeadTensors).Except(task.HeadBiases).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The starting point of the second head: copies of A's trunk tensors, and head tensors (weights and biases)
    /// initialised from <paramref name="seed"/>. Every tensor is the caller's own.
    /// </summary>
    public static Dictionary<string, Tensor> StartOfSecondHead(DinTask task, IReadOnlyDictionary<string, Tensor> a, int seed)
    {
        ArgumentNullException.ThrowIfNull(a);
        var start = TaskTrainer.Initialize(task.Layout, seed, DinTask.Embeddings);
        foreach (var name in Trunk(task))
        {
            start[name].Dispose();
            start[name] = a[name].detach().clone();
        }

        return start;
    }

    /// <summary>Throws unless every trunk tensor of <paramref name="b"/> is bit-identical to <paramref name="a"/>'s.</summary>
    public static void CheckTrunk(DinTask task, IReadOnlyDictionary<string, Tensor> a, IReadOnlyDictionary<string, Tensor> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        foreach (var name in Trunk(task))
        {
            using var scope = NewDisposeScope();
            if (!a[name].shape.SequenceEqual(b[name].shape) || !a[name].eq(b[name]).all().item<bool>())
            {
                throw new InvalidOperationException($"Shared trunk: model B's '{name}' differs from model A's; the trunk must stay frozen.");
            }
        }
    }
}
