namespace Cki.Contracts.Manifests;

/// <summary>The merge method names a family manifest may give in <c>merge.method</c> (docs/method.md).</summary>
public static class MergeMethodNames
{
    /// <summary>Full CKI: learned local uncertainty combined with the global information content.</summary>
    public const string Cki = "cki";

    /// <summary>The authors' ablation with the learned local term only.</summary>
    public const string LocalOnly = "local-only";

    /// <summary>The global term only: data-free, any architecture.</summary>
    public const string GlobalOnly = "global-only";

    /// <summary>Uniform mean of the spliced tensors.</summary>
    public const string Average = "average";

    /// <summary>Pruning as the authors coded it (keeps values above the threshold, signed).</summary>
    public const string PruneReference = "prune-reference";

    /// <summary>Magnitude pruning.</summary>
    public const string PruneMagnitude = "prune-magnitude";

    /// <summary>Task arithmetic against <c>merge.base</c>.</summary>
    public const string TaskArithmetic = "task-arithmetic";

    /// <summary>TIES against <c>merge.base</c>.</summary>
    public const string Ties = "ties";

    /// <summary>The methods that train the local assessment, so need a task with data.</summary>
    public static IReadOnlyList<string> Learned { get; } = [Cki, LocalOnly];

    /// <summary>The methods that need no data and no forward pass.</summary>
    public static IReadOnlyList<string> DataFree { get; } = [GlobalOnly, Average, PruneReference, PruneMagnitude, TaskArithmetic, Ties];

    /// <summary>Every method name: <see cref="Learned"/> then <see cref="DataFree"/>.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Learned, .. DataFree];

    /// <summary>The methods that need a base model (<c>merge.base</c>).</summary>
    public static IReadOnlyList<string> NeedingBase { get; } = [TaskArithmetic, Ties];
}
