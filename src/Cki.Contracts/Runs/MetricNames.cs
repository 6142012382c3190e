namespace Cki.Contracts.Runs;

/// <summary>
/// The evaluation metrics by name, and the keys under which a result carries them (<c>validation.auc</c>,
/// <c>test.logloss</c>): one place for the manifest's <c>evaluation.metrics</c>, the jobs, the decision and the report.
/// </summary>
public static class MetricNames
{
    /// <summary>Area under the ROC curve (binary tasks); higher is better.</summary>
    public const string Auc = "auc";

    /// <summary>Mean negative log-likelihood; lower is better.</summary>
    public const string LogLoss = "logloss";

    /// <summary>Share of samples whose most likely class is the label; higher is better.</summary>
    public const string Accuracy = "accuracy";

    /// <summary>Every metric, in the order reports list them.</summary>
    public static IReadOnlyList<string> All { get; } = [Auc, LogLoss, Accuracy];

    /// <summary>Whether a lower value of <paramref name="metric"/> is better.</summary>
    public static bool LowerIsBetter(string metric) => metric == LogLoss;

    /// <summary>The key of <paramref name="metric"/> on the validation split.</summary>
    public static string Validation(string metric) => "validation." + metric;

    /// <summary>The key of <paramref name="metric"/> on the test split.</summary>
    public static string Test(string metric) => "test." + metric;
}
