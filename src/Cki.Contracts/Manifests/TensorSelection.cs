using System.Text.RegularExpressions;

namespace Cki.Contracts.Manifests;

/// <summary>Which tensors are spliced (<c>merge.tensors</c>); the rest come from model A.</summary>
public sealed record TensorSelection
{
    /// <summary>The mode name for the task's head weight matrices.</summary>
    public const string HeadMode = "head";

    /// <summary>The mode name for every floating-point tensor.</summary>
    public const string AllMode = "all";

    /// <summary>The mode name for the tensors whose names match one of <see cref="Patterns"/>.</summary>
    public const string PatternsMode = "patterns";

    /// <summary>The task's head weight matrices.</summary>
    public static TensorSelection Head { get; } = new() { Mode = HeadMode };

    /// <summary>Every floating-point tensor.</summary>
    public static TensorSelection All { get; } = new() { Mode = AllMode };

    /// <summary><see cref="HeadMode"/>, <see cref="AllMode"/> or <see cref="PatternsMode"/>.</summary>
    public string Mode { get; init; } = HeadMode;

    /// <summary>Glob patterns over tensor names (<c>*</c>, <c>?</c>) when <see cref="Mode"/> is <see cref="PatternsMode"/>; else empty.</summary>
    public IReadOnlyList<string> Patterns { get; init; } = [];

    /// <summary>Whether a tensor name matches one of <see cref="Patterns"/> (<c>*</c> any run of characters, <c>?</c> one).</summary>
    public bool Matches(string name) => Patterns.Any(p => PatternMatches(p, name));

    /// <summary>Whether <paramref name="name"/> matches the glob <paramref name="pattern"/> (<c>*</c>, <c>?</c>), whole.</summary>
    public static bool PatternMatches(string pattern, string name) =>
        Regex.IsMatch(name, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>A selection of the tensors matching any of <paramref name="patterns"/>.</summary>
    public static TensorSelection FromPatterns(IReadOnlyList<string> patterns) => new() { Mode = PatternsMode, Patterns = patterns };
}
