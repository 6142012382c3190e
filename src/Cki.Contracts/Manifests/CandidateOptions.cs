namespace Cki.Contracts.Manifests;

/// <summary>The <c>candidates:</c> section: the sweep of the learned assessment (docs/method.md: local uncertainty).</summary>
public sealed record CandidateOptions
{
    /// <summary>Learning rates swept, each &gt; 0, 1 to 16 of them; the best on validation is kept.</summary>
    public IReadOnlyList<double> LearningRates { get; init; } = [1e-3, 1e-2];

    /// <summary>Epochs at most, 1 to 1000.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Batch size, &gt;= 1; the task's default when null.</summary>
    public int? BatchSize { get; init; }
}
