namespace Cki.Contracts.Manifests;

/// <summary>The <c>merge:</c> section of a family manifest; the defaults are those of docs/method.md.</summary>
public sealed record MergeOptions
{
    /// <summary>One of <see cref="MergeMethodNames.All"/>. The parser defaults it to <c>global-only</c> when the task is <c>none</c>.</summary>
    public string Method { get; init; } = MergeMethodNames.Cki;

    /// <summary><c>soft</c> (weighted sum) or <c>hard</c> (element-wise argmax).</summary>
    public string Splice { get; init; } = "soft";

    /// <summary>The dual-perspective form: <c>exp-softmax</c> or <c>linear</c> (two sources only).</summary>
    public string Form { get; init; } = "exp-softmax";

    /// <summary>Which tensors are spliced. The parser defaults it to <c>all</c> when the task is <c>none</c> (no head is known).</summary>
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

    /// <summary>The base model as a blob reference (<c>checkpoints/...</c>); required by task arithmetic and TIES.</summary>
    public string? Base { get; init; }

    /// <summary>Pruning threshold, &gt;= 0.</summary>
    public double Threshold { get; init; } = 0.02;

    /// <summary>Task arithmetic and TIES scale.</summary>
    public double Lambda { get; init; } = 1.0;

    /// <summary>TIES density (share of each task vector kept), in (0, 1].</summary>
    public double Density { get; init; } = 0.2;
}
