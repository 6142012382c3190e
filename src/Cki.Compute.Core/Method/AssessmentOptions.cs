namespace Cki.Compute.Method;

/// <summary>Options of the learned local assessment (docs/method.md: local uncertainty), with the defaults it states.</summary>
public sealed record AssessmentOptions
{
    /// <summary>How local and global terms combine; <see cref="CompatibilityForm.GlobalOnly"/> needs no assessment.</summary>
    public CompatibilityForm Form { get; init; } = CompatibilityForm.ExpSoftmax;

    /// <summary>Adam's learning rate (1e-3; a small sweep is part of a normal run).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Epochs at most; the epoch with the best validation metric is kept.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Batch size; the task's default when null (1024 recommendation, 32 text).</summary>
    public int? BatchSize { get; init; }

    /// <summary>Bias of the local linear map; the task's default when null.</summary>
    public bool? Bias { get; init; }

    /// <summary>Scale s on the distance D.</summary>
    public double Scale { get; init; } = 1.0;

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
