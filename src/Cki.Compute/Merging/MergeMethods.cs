using Cki.Compute.Config;

namespace Cki.Compute.Merging;

/// <summary>
/// The registry of data-free merge methods: every method is found here by the name users write. The learned
/// methods (<c>cki</c>, <c>local-only</c>) first run the assessment (see <see cref="MergeRun"/>) and then splice
/// with <see cref="WeightedSpliceMethod"/>.
/// </summary>
public static class MergeMethods
{
    private static readonly Dictionary<string, Func<MergeConfig, IMergeMethod>> Factories = new(StringComparer.Ordinal)
    {
        ["average"] = _ => new AverageMethod(),
        ["global-only"] = c => new GlobalOnlyMethod(c.Splice, c.Histogram, c.A, c.C),
        ["prune-reference"] = c => new PruneReferenceMethod(c.Threshold),
        ["prune-magnitude"] = c => new PruneMagnitudeMethod(c.Threshold),
        ["task-arithmetic"] = c => new TaskArithmeticMethod(c.Lambda),
        ["ties"] = c => new TiesMethod(c.Density, c.Lambda),
    };

    /// <summary>The names of the data-free methods.</summary>
    public static IReadOnlyCollection<string> DataFree => Factories.Keys;

    /// <summary>The methods that learn a local assessment from task data.</summary>
    public static IReadOnlyList<string> Learned { get; } = ["cki", "local-only"];

    /// <summary>Every method a config may name.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Learned, .. Factories.Keys];

    /// <summary>Whether <paramref name="name"/> learns a local assessment from task data.</summary>
    public static bool IsLearned(string name) => Learned.Contains(name);

    /// <summary>The data-free method called <paramref name="name"/>, configured from <paramref name="config"/>.</summary>
    public static IMergeMethod Create(string name, MergeConfig config) =>
        Factories.TryGetValue(name, out var factory)
            ? factory(config)
            : throw new ArgumentException($"Unknown data-free merge method '{name}'; known: {string.Join(", ", Factories.Keys)}.", nameof(name));
}
