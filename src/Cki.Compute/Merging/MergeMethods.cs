using Cki.Compute.Method;

namespace Cki.Compute.Merging;

/// <summary>The registry of merge methods: every method is found here by the name users write.</summary>
public static class MergeMethods
{
    private static readonly Dictionary<string, Func<SpliceMode, HistogramMode, IMergeMethod>> Factories = new(StringComparer.Ordinal)
    {
        ["average"] = (_, _) => new AverageMethod(),
        ["global-only"] = (splice, histogram) => new GlobalOnlyMethod(splice, histogram),
    };

    /// <summary>The names of the methods available.</summary>
    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>The method called <paramref name="name"/>, or an error listing the known names.</summary>
    public static IMergeMethod Create(string name, SpliceMode splice = SpliceMode.Soft, HistogramMode histogram = HistogramMode.Reference) =>
        Factories.TryGetValue(name, out var factory)
            ? factory(splice, histogram)
            : throw new ArgumentException($"Unknown merge method '{name}'; known: {string.Join(", ", Factories.Keys)}.", nameof(name));
}
