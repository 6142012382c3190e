using Cki.Compute.Tasks.Synthetic;

namespace Cki.Compute.Tasks;

/// <summary>The tasks a merge config may name in its <c>task:</c> section.</summary>
public static class TaskRegistry
{
    private static readonly Dictionary<string, Func<ITaskModel>> Factories = new(StringComparer.Ordinal)
    {
        ["synthetic"] = () => new SyntheticTask(),
    };

    /// <summary>The known task names.</summary>
    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>Creates the task called <paramref name="name"/>, or an error listing the known ones.</summary>
    public static ITaskModel Create(string name) =>
        Factories.TryGetValue(name, out var factory)
            ? factory()
            : throw new ArgumentException($"Unknown task '{name}'; known: {string.Join(", ", Factories.Keys)}.", nameof(name));
}
