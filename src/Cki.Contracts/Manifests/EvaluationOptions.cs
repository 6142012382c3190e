using Cki.Contracts.Runs;
namespace Cki.Contracts.Manifests;

/// <summary>The <c>evaluation:</c> section: what the report measures and compares against.</summary>
public sealed record EvaluationOptions
{
    /// <summary>The baseline names a manifest may list: the output ensemble and the data-free merge methods.</summary>
    public static IReadOnlyList<string> BaselineNames { get; } = ["ensemble", .. MergeMethods.DataFreeNames];

    /// <summary>Distinct names from <see cref="MetricNames.All"/>, at least one.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = [MetricNames.Auc, MetricNames.LogLoss];

    /// <summary>Distinct names from <see cref="BaselineNames"/>; may be empty.</summary>
    public IReadOnlyList<string> Baselines { get; init; } = [MergeMethods.Average.Name, "ensemble"];
}
