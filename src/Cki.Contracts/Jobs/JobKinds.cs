namespace Cki.Contracts.Jobs;

/// <summary>The names of the job kinds, as specs and results spell them.</summary>
public static class JobKinds
{
    /// <summary>Per-tensor statistics of one checkpoint.</summary>
    public const string Profile = "profile";

    /// <summary>One candidate of the learned assessment.</summary>
    public const string Assess = "assess";

    /// <summary>One shard of the integrated model.</summary>
    public const string Splice = "splice";

    /// <summary>Metrics of one model on the task.</summary>
    public const string Evaluate = "evaluate";

    /// <summary>Retraining of the integrated model.</summary>
    public const string Retrain = "retrain";

    /// <summary>The promotion decision on validation data.</summary>
    public const string Decide = "decide";

    /// <summary>Every kind.</summary>
    public static IReadOnlyList<string> All { get; } = [Profile, Assess, Splice, Evaluate, Retrain, Decide];
}
