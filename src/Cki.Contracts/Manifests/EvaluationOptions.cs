namespace Cki.Contracts.Manifests;

/// <summary>The <c>evaluation:</c> section: what the report measures and compares against.</summary>
public sealed record EvaluationOptions
{
    /// <summary>The metric names a manifest may list.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = ["auc", "logloss", "accuracy"];

    /// <summary>The baseline names a manifest may list: the output ensemble and the data-free merge methods.</summary>
    public static IReadOnlyList<string> BaselineNames { get; } = ["ensemble", .. MergeMethods.DataFreeNames];

    /// <summary>Distinct names from <see cref="MetricNames"/>, at least one.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = ["auc", "logloss"];

    /// <summary>Distinct names from <see cref="BaselineNames"/>; may be empty.</summary>
    public IReadOnlyList<string> Baselines { get; init; } = [MergeMethods.Average.Name, "ensemble"];
}
