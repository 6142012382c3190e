using System.Globalization;

namespace Cki.Contracts.Manifests;

/// <summary>
/// A parameter a merge method declares (as model-merging tools do): its key in the options files, its kind, the values
/// it accepts and its default. Validation, defaults, provenance, docs and <c>--help</c> all come from here.
/// </summary>
public sealed record MergeParameter
{
    /// <summary>The key, e.g. <c>density</c> (<c>merge.density</c> in a family manifest).</summary>
    public required string Name { get; init; }

    /// <summary>What it is, in one line, for <c>--help</c>.</summary>
    public required string Description { get; init; }

    /// <summary>The kind of value it takes.</summary>
    public required MergeParameterKind Kind { get; init; }

    /// <summary>The default as written in a file; null for a required parameter.</summary>
    public string? Default { get; init; }

    /// <summary>The names a <see cref="MergeParameterKind.Choice"/> accepts; empty for other kinds.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>The numbers a <see cref="MergeParameterKind.Number"/> accepts; every finite number for other kinds.</summary>
    public NumberRange Range { get; init; } = NumberRange.Any;

    /// <summary>Whether the method cannot run without it.</summary>
    public bool Required => Default is null;

    /// <summary>The default of a number parameter, as a number.</summary>
    public double DefaultNumber => Kind == MergeParameterKind.Number && Default is not null
        ? double.Parse(Default, NumberStyles.Float, CultureInfo.InvariantCulture)
        : throw new InvalidOperationException($"'{Name}' has no numeric default.");

    /// <summary>The values it takes, in words, for messages and <c>--help</c>.</summary>
    public string Expected => Kind switch
    {
        MergeParameterKind.Choice => string.Join(" or ", Choices),
        MergeParameterKind.Number => Range.ToString(),
        _ => "a checkpoint",
    };

    /// <summary>Whether <paramref name="written"/>, as in a file, is this parameter's default (<c>1</c> and <c>1.0</c> are the same number).</summary>
    public bool IsDefault(string written) =>
        Default is not null && (written == Default
            || (Kind == MergeParameterKind.Number && double.TryParse(written, NumberStyles.Float, CultureInfo.InvariantCulture, out var given) && given == DefaultNumber));
}
