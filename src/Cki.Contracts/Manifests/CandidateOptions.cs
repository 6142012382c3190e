namespace Cki.Contracts.Manifests;

/// <summary>
/// The learned assessment's options (docs/method.md: local uncertainty): the <c>candidates:</c> section of a
/// family manifest and the <c>task:</c> section of <c>merge.yaml</c>.
/// </summary>
public sealed record CandidateOptions
{
    /// <summary>The keys of these options.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["learning_rates", "epochs", "batch_size", "train_trunk", "bias", "scale"];

    /// <summary>Learning rates swept, each &gt; 0, 1 to 16 of them; the best on validation is kept.</summary>
    public IReadOnlyList<double> LearningRates { get; init; } = [1e-3, 1e-2];

    /// <summary>Epochs at most, 1 to 1000.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Batch size, &gt;= 1; the task's default when null.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Also train model A's trunk while learning the assessment.</summary>
    public bool TrainTrunk { get; init; }

    /// <summary>Bias of the local map; the task's default when null.</summary>
    public bool? Bias { get; init; }

    /// <summary>Scale s on the distance, &gt; 0.</summary>
    public double Scale { get; init; } = 1.0;
}
