using System.Globalization;

namespace Cki.Contracts.Manifests;

/// <summary>
/// The merge options, the same in a family manifest (its <c>merge:</c> section) and in <c>merge.yaml</c> (its top
/// level); read by <see cref="MergeOptionsReader"/>. The defaults are those the methods declare
/// (<see cref="MergeMethodNames.Parameters"/>) and docs/method.md gives.
/// </summary>
public sealed record MergeOptions
{
    /// <summary>One of <see cref="MergeMethodNames.All"/>: <c>cki</c> when there is a task, else <c>global-only</c>.</summary>
    public string Method { get; init; } = MergeMethodNames.Cki;

    /// <summary><c>soft</c> (weighted sum) or <c>hard</c> (element-wise argmax).</summary>
    public string Splice { get; init; } = "soft";

    /// <summary>The dual-perspective form: <c>exp-softmax</c> or <c>linear</c> (two sources only).</summary>
    public string Form { get; init; } = "exp-softmax";

    /// <summary>Which tensors are spliced: the task's head when there is a task, else all.</summary>
    public TensorSelection Tensors { get; init; } = TensorSelection.Head;

    /// <summary>The global term's histogram: <c>reference</c> (the authors' quirks) or <c>closed</c>.</summary>
    public string Histogram { get; init; } = "reference";

    /// <summary>Amplitude a of the global term, in (0, 1].</summary>
    public double A { get; init; } = 0.4;

    /// <summary>Steepness c of the global term, &gt; 0.</summary>
    public double C { get; init; } = 500;

    /// <summary>Accept NaN or infinite values in the inputs.</summary>
    public bool AllowNonFinite { get; init; }

    /// <summary>Seed of everything random, &gt;= 0.</summary>
    public int Seed { get; init; }

    /// <summary>The base model of task arithmetic and TIES: a blob reference in a manifest, a path or URL in merge.yaml.</summary>
    public string? Base { get; init; }

    /// <summary>Pruning threshold, &gt;= 0.</summary>
    public double Threshold { get; init; } = 0.02;

    /// <summary>Task arithmetic and TIES scale.</summary>
    public double Lambda { get; init; } = 1.0;

    /// <summary>TIES density (share of each task vector kept), in (0, 1].</summary>
    public double Density { get; init; } = 0.2;

    /// <summary>The defaults when the options leave method and tensors out: <c>cki</c> over the head with a task, else <c>global-only</c> over all.</summary>
    public static MergeOptions DefaultsFor(bool hasTask) =>
        hasTask ? new MergeOptions() : new MergeOptions { Method = MergeMethodNames.GlobalOnly, Tensors = TensorSelection.All };

    /// <summary>The values of the parameters <see cref="Method"/> declares, as written in a file (for provenance).</summary>
    public IReadOnlyDictionary<string, string?> DeclaredParameters() =>
        MergeMethodNames.Parameters[Method].ToDictionary(p => p.Name, p => Value(p.Name), StringComparer.Ordinal);

    private string? Value(string parameter) => parameter switch
    {
        "splice" => Splice,
        "form" => Form,
        "histogram" => Histogram,
        "a" => A.ToString("R", CultureInfo.InvariantCulture),
        "c" => C.ToString("R", CultureInfo.InvariantCulture),
        "threshold" => Threshold.ToString("R", CultureInfo.InvariantCulture),
        "base" => Base,
        "lambda" => Lambda.ToString("R", CultureInfo.InvariantCulture),
        "density" => Density.ToString("R", CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(nameof(parameter), parameter, "not a merge method parameter"),
    };
}
