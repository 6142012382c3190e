using System.Globalization;

namespace Cki.Contracts.Manifests;

/// <summary>
/// The merge options, the same in a family manifest (its <c>merge:</c> section) and in <c>merge.yaml</c> (its top
/// level); read by <see cref="MergeOptionsReader"/>. Each default is the one its parameter declares
/// (<see cref="MergeParameters"/>).
/// </summary>
public sealed record MergeOptions
{
    // Where each parameter's value is kept.
    private static readonly Dictionary<MergeParameter, Func<MergeOptions, object?>> Values = new()
    {
        [MergeParameters.Splice] = o => o.Splice,
        [MergeParameters.Form] = o => o.Form,
        [MergeParameters.Histogram] = o => o.Histogram,
        [MergeParameters.Amplitude] = o => o.A,
        [MergeParameters.Steepness] = o => o.C,
        [MergeParameters.Threshold] = o => o.Threshold,
        [MergeParameters.Base] = o => o.Base,
        [MergeParameters.Lambda] = o => o.Lambda,
        [MergeParameters.Density] = o => o.Density,
    };

    /// <summary>One of <see cref="MergeMethods.Names"/>: <c>cki</c> when there is a task, else <c>global-only</c>.</summary>
    public string Method { get; init; } = MergeMethods.Cki.Name;

    /// <summary><c>soft</c> (weighted sum) or <c>hard</c> (element-wise argmax).</summary>
    public string Splice { get; init; } = MergeParameters.Splice.Default!;

    /// <summary>The dual-perspective form: <c>exp-softmax</c> or <c>linear</c> (two sources only).</summary>
    public string Form { get; init; } = MergeParameters.Form.Default!;

    /// <summary>Which tensors are spliced: the task's head when there is a task, else all.</summary>
    public TensorSelection Tensors { get; init; } = TensorSelection.Head;

    /// <summary>The global term's histogram: <c>reference</c> (the authors' quirks) or <c>closed</c>.</summary>
    public string Histogram { get; init; } = MergeParameters.Histogram.Default!;

    /// <summary>Amplitude a of the global term, in (0, 1].</summary>
    public double A { get; init; } = MergeParameters.Amplitude.DefaultNumber;

    /// <summary>Steepness c of the global term, &gt; 0.</summary>
    public double C { get; init; } = MergeParameters.Steepness.DefaultNumber;

    /// <summary>Accept NaN or infinite values in the inputs.</summary>
    public bool AllowNonFinite { get; init; }

    /// <summary>Seed of everything random, &gt;= 0.</summary>
    public int Seed { get; init; }

    /// <summary>The base model of task arithmetic and TIES: a blob reference in a manifest, a path or URL in merge.yaml.</summary>
    public string? Base { get; init; }

    /// <summary>Pruning threshold, &gt;= 0.</summary>
    public double Threshold { get; init; } = MergeParameters.Threshold.DefaultNumber;

    /// <summary>Task arithmetic and TIES scale.</summary>
    public double Lambda { get; init; } = MergeParameters.Lambda.DefaultNumber;

    /// <summary>TIES density (share of each task vector kept), in (0, 1].</summary>
    public double Density { get; init; } = MergeParameters.Density.DefaultNumber;

    /// <summary>The method's descriptor.</summary>
    public MergeMethod Descriptor => MergeMethods.Named(Method);

    /// <summary>The defaults when the options leave method and tensors out: <c>cki</c> over the head with a task, else <c>global-only</c> over all.</summary>
    public static MergeOptions DefaultsFor(bool hasTask) =>
        hasTask ? new MergeOptions() : new MergeOptions { Method = MergeMethods.GlobalOnly.Name, Tensors = TensorSelection.All };

    /// <summary>The values of the parameters <see cref="Method"/> declares, as written in a file (for provenance).</summary>
    public IReadOnlyDictionary<string, string?> DeclaredParameters() =>
        Descriptor.Parameters.ToDictionary(p => p.Name, Value, StringComparer.Ordinal);

    /// <summary>The value of <paramref name="parameter"/> in these options, as written in a file.</summary>
    public string? Value(MergeParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        var value = Values.TryGetValue(parameter, out var read) ? read(this)
            : throw new ArgumentOutOfRangeException(nameof(parameter), parameter.Name, "not a merge method parameter");
        return value is double number ? number.ToString("R", CultureInfo.InvariantCulture) : (string?)value;
    }
}
