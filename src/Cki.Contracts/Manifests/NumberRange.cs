using System.Globalization;

namespace Cki.Contracts.Manifests;

/// <summary>The finite numbers a numeric merge parameter accepts: an optional lower and upper bound, each open or closed.</summary>
/// <param name="Min">The lower bound; none when null.</param>
/// <param name="MinIncluded">Whether <paramref name="Min"/> itself is accepted.</param>
/// <param name="Max">The upper bound; none when null.</param>
/// <param name="MaxIncluded">Whether <paramref name="Max"/> itself is accepted.</param>
public sealed record NumberRange(double? Min = null, bool MinIncluded = false, double? Max = null, bool MaxIncluded = false)
{
    /// <summary>Every finite number.</summary>
    public static NumberRange Any { get; } = new();

    /// <summary>Numbers above <paramref name="min"/>.</summary>
    public static NumberRange Above(double min) => new(min);

    /// <summary>Numbers at least <paramref name="min"/>.</summary>
    public static NumberRange AtLeast(double min) => new(min, MinIncluded: true);

    /// <summary>Numbers above <paramref name="min"/> and at most <paramref name="max"/>.</summary>
    public static NumberRange AboveUpTo(double min, double max) => new(min, false, max, true);

    /// <summary>Whether <paramref name="value"/> is finite and within the bounds.</summary>
    public bool Contains(double value) =>
        double.IsFinite(value)
        && (Min is not { } low || (MinIncluded ? value >= low : value > low))
        && (Max is not { } high || (MaxIncluded ? value <= high : value < high));

    /// <summary>The range as docs/method.md writes it, for <paramref name="name"/>: <c>0 &lt; a &lt;= 1</c>, <c>&gt; 0</c>, <c>any finite number</c>.</summary>
    public string Formula(string name) => (Min, Max) switch
    {
        (null, null) => "any finite number",
        ({ } low, null) => $"{(MinIncluded ? ">=" : ">")} {Text(low)}",
        (null, { } high) => $"{(MaxIncluded ? "<=" : "<")} {Text(high)}",
        ({ } low, { } high) => $"{Text(low)} {(MinIncluded ? "<=" : "<")} {name} {(MaxIncluded ? "<=" : "<")} {Text(high)}",
    };

    /// <summary>The range in words for messages and <c>--help</c>: <c>a number in (0, 1]</c>, <c>a number &gt; 0</c>.</summary>
    public override string ToString() => (Min, Max) switch
    {
        (null, null) => "a number",
        ({ } low, null) => $"a number {(MinIncluded ? ">=" : ">")} {Text(low)}",
        (null, { } high) => $"a number {(MaxIncluded ? "<=" : "<")} {Text(high)}",
        ({ } low, { } high) => $"a number in {(MinIncluded ? '[' : '(')}{Text(low)}, {Text(high)}{(MaxIncluded ? ']' : ')')}",
    };

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
