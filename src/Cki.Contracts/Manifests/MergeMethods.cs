namespace Cki.Contracts.Manifests;

/// <summary>
/// The merge methods (docs/method.md), each declared once: the one catalogue both options files, the merge command,
/// provenance and the workflow read.
/// </summary>
public static class MergeMethods
{
    /// <summary>Full CKI: learned local uncertainty combined with the global information content.</summary>
    public static MergeMethod Cki { get; } = new()
    {
        Name = "cki", NeedsData = true,
        Summary = "learned local uncertainty combined with the global information content",
        Parameters = [MergeParameters.Splice, MergeParameters.Form, MergeParameters.Histogram, MergeParameters.Amplitude, MergeParameters.Steepness],
    };

    /// <summary>The authors' ablation with the learned local term only.</summary>
    public static MergeMethod LocalOnly { get; } = new()
    {
        Name = "local-only", NeedsData = true, Summary = "the learned local term only", Parameters = [MergeParameters.Splice],
    };

    /// <summary>The global term only: data-free, any architecture.</summary>
    public static MergeMethod GlobalOnly { get; } = new()
    {
        Name = "global-only", Summary = "the global information content only: one weight per model and tensor",
        Parameters = [MergeParameters.Splice, MergeParameters.Histogram, MergeParameters.Amplitude, MergeParameters.Steepness],
    };

    /// <summary>Uniform mean of the spliced tensors.</summary>
    public static MergeMethod Average { get; } = new() { Name = "average", Summary = "the uniform mean of the models (model soup)" };

    /// <summary>Pruning as the authors coded it (keeps values above the threshold, signed).</summary>
    public static MergeMethod PruneReference { get; } = new()
    {
        Name = "prune-reference", Summary = "model A with every value <= threshold set to 0, signed, as the authors coded it",
        Parameters = [MergeParameters.Threshold],
    };

    /// <summary>Magnitude pruning.</summary>
    public static MergeMethod PruneMagnitude { get; } = new()
    {
        Name = "prune-magnitude", Summary = "model A with every value of magnitude <= threshold set to 0", Parameters = [MergeParameters.Threshold],
    };

    /// <summary>Task arithmetic against a base.</summary>
    public static MergeMethod TaskArithmetic { get; } = new()
    {
        Name = "task-arithmetic", Summary = "base + lambda * the sum of the task vectors (model - base)",
        Parameters = [MergeParameters.Base, MergeParameters.Lambda],
    };

    /// <summary>TIES against a base.</summary>
    public static MergeMethod Ties { get; } = new()
    {
        Name = "ties", Summary = "TIES: task vectors trimmed to their largest values, signs elected, agreeing values averaged",
        Parameters = [MergeParameters.Base, MergeParameters.Lambda, MergeParameters.Density],
    };

    /// <summary>The options every method takes, whatever its parameters.</summary>
    public static IReadOnlyList<string> CommonOptions { get; } = ["method", "tensors", "seed", "allow_non_finite"];

    /// <summary>Every method: those that learn from data, then the data-free ones.</summary>
    public static IReadOnlyList<MergeMethod> All { get; } = [Cki, LocalOnly, GlobalOnly, Average, PruneReference, PruneMagnitude, TaskArithmetic, Ties];

    /// <summary>Every method's name, in the order of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(m => m.Name)];

    /// <summary>The names of the methods that need no data and no forward pass.</summary>
    public static IReadOnlyList<string> DataFreeNames { get; } = [.. All.Where(m => !m.NeedsData).Select(m => m.Name)];

    /// <summary>The method named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No method has that name; the message lists those that do.</exception>
    public static MergeMethod Named(string name) =>
        All.FirstOrDefault(m => m.Name == name) ?? throw new ArgumentException($"'{name}' is not a merge method; expected one of {string.Join(", ", Names)}.", nameof(name));

    /// <summary>Whether the method named <paramref name="name"/> learns from data (false for an unknown name).</summary>
    public static bool NeedsData(string name) => All.Any(m => m.Name == name && m.NeedsData);

    /// <summary>Whether the method named <paramref name="name"/> needs a base model (false for an unknown name).</summary>
    public static bool NeedsBase(string name) => All.Any(m => m.Name == name && m.NeedsBase);
}
