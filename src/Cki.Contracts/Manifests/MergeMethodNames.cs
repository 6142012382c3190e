namespace Cki.Contracts.Manifests;

/// <summary>
/// The merge methods (docs/method.md), the one list both options files, the merge command and the workflow read:
/// each method's name, whether it learns from data, and the parameters it declares. Options every method takes
/// (<c>tensors</c>, <c>seed</c>, <c>allow_non_finite</c>) are not listed per method.
/// </summary>
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

    /// <summary>Task arithmetic against <c>base</c>.</summary>
    public const string TaskArithmetic = "task-arithmetic";

    /// <summary>TIES against <c>base</c>.</summary>
    public const string Ties = "ties";

    private static readonly MergeMethodParameter Splice = new("splice", "soft or hard", "soft");
    private static readonly MergeMethodParameter Form = new("form", "exp-softmax or linear (two models only)", "exp-softmax");
    private static readonly MergeMethodParameter Histogram = new("histogram", "reference or closed", "reference");
    private static readonly MergeMethodParameter Amplitude = new("a", "a number in (0, 1]", "0.4");
    private static readonly MergeMethodParameter Steepness = new("c", "a number > 0", "500");
    private static readonly MergeMethodParameter Threshold = new("threshold", "a number >= 0", "0.02");
    private static readonly MergeMethodParameter Base = new("base", "the base model the task vectors are taken against", null);
    private static readonly MergeMethodParameter Lambda = new("lambda", "a number", "1");
    private static readonly MergeMethodParameter Density = new("density", "a number in (0, 1]", "0.2");

    /// <summary>Each method's declared parameters, by method name, in the order of <see cref="All"/>.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<MergeMethodParameter>> Parameters { get; } =
        new Dictionary<string, IReadOnlyList<MergeMethodParameter>>(StringComparer.Ordinal)
        {
            [Cki] = [Splice, Form, Histogram, Amplitude, Steepness],
            [LocalOnly] = [Splice],
            [GlobalOnly] = [Splice, Histogram, Amplitude, Steepness],
            [Average] = [],
            [PruneReference] = [Threshold],
            [PruneMagnitude] = [Threshold],
            [TaskArithmetic] = [Base, Lambda],
            [Ties] = [Base, Lambda, Density],
        };

    /// <summary>The methods that train the local assessment, so need a task with data.</summary>
    public static IReadOnlyList<string> Learned { get; } = [Cki, LocalOnly];

    /// <summary>The methods that need no data and no forward pass.</summary>
    public static IReadOnlyList<string> DataFree { get; } = [GlobalOnly, Average, PruneReference, PruneMagnitude, TaskArithmetic, Ties];

    /// <summary>Every method name: <see cref="Learned"/> then <see cref="DataFree"/>.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Learned, .. DataFree];

    /// <summary>The names of every parameter some method declares.</summary>
    public static IReadOnlyList<string> ParameterNames { get; } = [.. Parameters.Values.SelectMany(p => p).Select(p => p.Name).Distinct()];

    /// <summary>Whether <paramref name="method"/> learns the local assessment from task data.</summary>
    public static bool IsLearned(string method) => Learned.Contains(method);

    /// <summary>Whether <paramref name="method"/> declares a required <c>base</c>.</summary>
    public static bool NeedsBase(string method) => Parameters.TryGetValue(method, out var parameters) && parameters.Any(p => p.Name == "base");
}
