using Cki.Contracts.Manifests;

namespace Cki.Compute.Method;

/// <summary>
/// Options of one learned local assessment (docs/method.md: local uncertainty) in the engine's terms: one learning
/// rate of the sweep, typed forms, tensors kept frozen. The defaults are those of <see cref="CandidateOptions"/> and
/// <see cref="MergeParameters"/>; a merge builds these from its config (Cki.Compute.Config.MergeConfig.Assessment).
/// </summary>
public sealed record AssessmentOptions
{
    private static readonly CandidateOptions Candidates = new();

    /// <summary>How local and global terms combine; <see cref="CompatibilityForm.GlobalOnly"/> needs no assessment.</summary>
    public CompatibilityForm Form { get; init; } = CompatibilityForm.ExpSoftmax;

    /// <summary>Adam's learning rate (the first of the default sweep; a small sweep is part of a normal run).</summary>
    public double LearningRate { get; init; } = Candidates.LearningRates[0];

    /// <summary>Epochs at most; the epoch with the best validation metric is kept.</summary>
    public int Epochs { get; init; } = Candidates.Epochs;

    /// <summary>Batch size; the task's default when null (1024 recommendation, 32 text).</summary>
    public int? BatchSize { get; init; }

    /// <summary>Bias of the local linear map; the task's default when null.</summary>
    public bool? Bias { get; init; }

    /// <summary>Scale s on the distance D.</summary>
    public double Scale { get; init; } = Candidates.Scale;

    /// <summary>Also train the trunk (the non-spliced float tensors of model A).</summary>
    public bool TrainTrunk { get; init; }

    /// <summary>
    /// Tensors that stay model A's even with <see cref="TrainTrunk"/> (the authors' recommendation code reads the head's
    /// biases detached from model A, so they never train).
    /// </summary>
    public IReadOnlyList<string> FrozenTensors { get; init; } = [];

    /// <summary>Seed of P's initialisation and of the batch order.</summary>
    public int Seed { get; init; }

    /// <summary>Histogram of the global term.</summary>
    public HistogramMode Histogram { get; init; } = HistogramMode.Reference;

    /// <summary>Amplitude a of the global term.</summary>
    public double Amplitude { get; init; } = GlobalInformation.DefaultAmplitude;

    /// <summary>Steepness c of the global term.</summary>
    public double Steepness { get; init; } = GlobalInformation.DefaultSteepness;

    /// <summary>Throws for values no run can use.</summary>
    public void Validate()
    {
        if (Form == CompatibilityForm.GlobalOnly)
        {
            throw new ArgumentException("form global-only needs no learned assessment; use the global-only method.");
        }

        if (LearningRate <= 0 || !double.IsFinite(LearningRate))
        {
            throw new ArgumentException($"learning rate must be positive, not {LearningRate}.");
        }

        if (Epochs < 1 || BatchSize is < 1 || Scale <= 0)
        {
            throw new ArgumentException("epochs and batch size must be at least 1, scale positive.");
        }
    }
}
