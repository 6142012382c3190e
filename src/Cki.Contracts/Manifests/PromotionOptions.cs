namespace Cki.Contracts.Manifests;

/// <summary>
/// The <c>promotion:</c> section: how a run decides, on VALIDATION data, what it publishes (docs/promotion.md). Test
/// metrics are reported but never decide.
/// </summary>
public sealed record PromotionOptions
{
    /// <summary>Publish the best candidate on validation among those at 1x inference cost (the default with a task).</summary>
    public const string Best = "best";

    /// <summary>Publish the integrated (or retrained) model only if its paired validation gain over the champion has a lower 95 % bound at or above the margin.</summary>
    public const string IntegratedIfBetter = "integrated-if-better";

    /// <summary>Publish the integrated model whatever it scores (the only policy for <c>task: none</c>, which evaluates nothing).</summary>
    public const string Always = "always";

    /// <summary>The keys of the section.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["policy", "metric", "margin", "allow_ensemble", "resamples", "seed"];

    /// <summary>The policy names.</summary>
    public static IReadOnlyList<string> Policies { get; } = [Best, IntegratedIfBetter, Always];

    /// <summary>The fewest bootstrap resamples.</summary>
    public const int MinResamples = 1000;

    /// <summary>The most bootstrap resamples.</summary>
    public const int MaxResamples = 100_000;

    /// <summary>One of <see cref="Policies"/>.</summary>
    public string Policy { get; init; } = Best;

    /// <summary>The deciding metric (one of the evaluation's metrics); null: the evaluation's first.</summary>
    public string? Metric { get; init; }

    /// <summary>The gain the lower 95 % bound must reach under <see cref="IntegratedIfBetter"/> (in the metric's units, better is positive).</summary>
    public double Margin { get; init; }

    /// <summary>Whether candidates of more than 1x inference cost (the output ensemble) may be published under <see cref="Best"/>.</summary>
    public bool AllowEnsemble { get; init; }

    /// <summary>Bootstrap resamples of the validation samples.</summary>
    public int Resamples { get; init; } = MinResamples;

    /// <summary>The bootstrap's seed (recorded in the decision).</summary>
    public int Seed { get; init; }

    /// <summary>The defaults for a family with (<paramref name="hasTask"/>) or without a task.</summary>
    public static PromotionOptions DefaultsFor(bool hasTask) => hasTask ? new PromotionOptions() : new PromotionOptions { Policy = Always };
}
