namespace Cki.Compute.Experiments.Sentiment;

/// <summary>Sizes and choices of the sentiment experiment.</summary>
public sealed record SentimentExperimentOptions
{
    /// <summary>The setting of two heads on one domain from different seeds (the paper's).</summary>
    public const string Seeds = "seeds";

    /// <summary>The setting of one head per domain, integrated into one head.</summary>
    public const string Domains = "domains";

    /// <summary>
    /// The setting of one parent: a head trained on all three domains (also the multi-task control), three domain heads
    /// fine-tuned from it, integrated into one head (task arithmetic and TIES with the parent as base).
    /// </summary>
    public const string OneParent = "one-parent";

    /// <summary>Seed pairs (seeds setting) or seed triples (domains setting); intervals are over these.</summary>
    public int SeedCount { get; init; } = 5;

    /// <summary>Epochs of every input head; the best validation epoch is kept.</summary>
    public int HeadEpochs { get; init; } = 20;

    /// <summary>Adam's learning rate of the input heads, the retraining epoch and the control epoch.</summary>
    public double HeadLearningRate { get; init; } = 1e-3;

    /// <summary>Epochs of CKI's learned assessment (the best validation epoch is kept).</summary>
    public int AssessmentEpochs { get; init; } = 10;

    /// <summary>Learning rates of the assessment, swept on validation (the authors' logs: it matters a lot).</summary>
    public IReadOnlyList<double> LearningRates { get; init; } = [1e-3, 1e-2];

    /// <summary>N: epochs each child of the one-parent setting is fine-tuned from the parent on its domain (fixed, not selected).</summary>
    public int ChildEpochs { get; init; } = 3;

    /// <summary>The settings run (one-parent is opt-in).</summary>
    public IReadOnlyList<string> Settings { get; init; } = [Seeds, Domains];

    /// <summary>The small configuration for CI and demos.</summary>
    public static SentimentExperimentOptions Quick { get; } = new() { SeedCount = 2, HeadEpochs = 4, AssessmentEpochs = 2, LearningRates = [1e-2] };
}
