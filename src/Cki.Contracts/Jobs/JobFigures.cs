namespace Cki.Contracts.Jobs;

/// <summary>
/// The names of the figures jobs report in <see cref="JobResult.Figures"/> that the workflow reads: written by the
/// jobs and read by the orchestrator under these names only.
/// </summary>
public static class JobFigures
{
    /// <summary>profile: tensors in the checkpoint; splice: tensors in the shard.</summary>
    public const string Tensors = "tensors";

    /// <summary>profile: NaN and infinite values in the checkpoint (any makes the run fail unless allowed).</summary>
    public const string NonFinite = "non_finite";

    /// <summary>Bytes the job read.</summary>
    public const string BytesRead = "bytes_read";

    /// <summary>Bytes the job wrote.</summary>
    public const string BytesWritten = "bytes_written";

    /// <summary>splice: tensors of the shard the method integrated (the rest came from model A).</summary>
    public const string Spliced = "spliced";

    /// <summary>assess: the best validation metric of the candidate (the orchestrator keeps the highest).</summary>
    public const string Validation = "validation";

    /// <summary>assess: the epoch of <see cref="Validation"/>.</summary>
    public const string BestEpoch = "best_epoch";

    /// <summary>assess: the candidate's learning rate.</summary>
    public const string LearningRate = "learning_rate";
}
