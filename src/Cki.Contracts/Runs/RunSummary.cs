namespace Cki.Contracts.Runs;

/// <summary>
/// What one integration run did, as <c>runs/{runId}/summary.json</c> and the run's output hold it: its inputs,
/// the jobs and their times, the kept candidate, the evaluation table and where the outputs are.
/// </summary>
public sealed record RunSummary
{
    /// <summary>The run (orchestration instance) id.</summary>
    public required string RunId { get; init; }

    /// <summary>The family.</summary>
    public required string Family { get; init; }

    /// <summary>
    /// <c>completed</c> (published), <c>held</c> (completed; the decision kept the published model), <c>superseded</c>
    /// (completed, but a run of newer inputs was published first) or <c>failed</c>.
    /// </summary>
    public required string Outcome { get; init; }

    /// <summary>Why the run failed; null when it completed.</summary>
    public string? Error { get; init; }

    /// <summary>The published run of newer inputs that kept this one from being published; null otherwise.</summary>
    public string? SupersededBy { get; init; }

    /// <summary>What publishing did, source by source (newer, superseded).</summary>
    public string? Publication { get; init; }

    /// <summary>The inputs, model A first.</summary>
    public IReadOnlyList<RunInput> Inputs { get; init; } = [];

    /// <summary>Every job with its outcome and time.</summary>
    public IReadOnlyList<JobRecord> Jobs { get; init; } = [];

    /// <summary>The kept learning rate of the learned assessment (null for data-free methods).</summary>
    public double? LearningRate { get; init; }

    /// <summary>Rows of the evaluation table.</summary>
    public IReadOnlyList<EvaluationRow> Evaluation { get; init; } = [];

    /// <summary>What the run decided to publish, on validation; null for a run without evaluation (or one that failed before).</summary>
    public PromotionDecision? Decision { get; init; }

    /// <summary>Why the family's published model did not compete in the decision (purged, another architecture); null when it did or there was none.</summary>
    public string? ChampionNote { get; init; }

    /// <summary>Where the decision is (<c>runs/{runId}/jobs/decide/decision.json</c>), for the report step to read; null without one.</summary>
    public string? DecisionFile { get; init; }

    /// <summary>The published output folder (<c>integrated/{family}/{runId}/</c>); null when the run failed.</summary>
    public string? OutputFolder { get; init; }
}

/// <summary>One input of a run.</summary>
/// <param name="Source">The source's name.</param>
/// <param name="Version">The version folder used.</param>
/// <param name="Checkpoint">The checkpoint's blob name (a single file or a shard index).</param>
/// <param name="ETags">The ETag of each of its files, as the run saw them.</param>
/// <param name="LastModified">The newest Last-Modified time of its files, as the run saw them (orders two drops of one version folder).</param>
/// <param name="ContentIds">
/// The content identity of each of its files (<c>md5:{base64}</c> when storage holds a Content-MD5, else <c>etag:{etag}</c>):
/// the run id derives from these, so identical bytes uploaded again are no change. Null: the ETags stand in.
/// </param>
public sealed record RunInput(string Source, string Version, string Checkpoint, IReadOnlyDictionary<string, string> ETags, DateTimeOffset LastModified = default,
    IReadOnlyDictionary<string, string>? ContentIds = null);

/// <summary>One job of a run.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Attempts">How many times it was started.</param>
/// <param name="Seconds">Its wall time as the job measured it.</param>
/// <param name="Succeeded">Whether it succeeded.</param>
public sealed record JobRecord(string JobId, string Kind, int Attempts, double Seconds, bool Succeeded);

/// <summary>One row of the evaluation table.</summary>
/// <param name="Target">What was evaluated.</param>
/// <param name="InferenceCost">Its inference cost in single models (an ensemble of K costs K).</param>
/// <param name="Metrics">Metric name (<c>validation.auc</c>, <c>test.logloss</c>, ...) to value.</param>
public sealed record EvaluationRow(string Target, int InferenceCost, IReadOnlyDictionary<string, double> Metrics);
