using Cki.Contracts.Runs;

namespace Cki.Workflow.Orchestration;

/// <summary>
/// How jobs are waited for: the orchestration's input carries it so that replays never read configuration. The values
/// come from <see cref="Settings.WorkflowSettings"/>, where their defaults are.
/// </summary>
/// <param name="JobTimeoutSeconds">Running time after which a job counts as hung and is stopped.</param>
/// <param name="ProbeIntervalSeconds">How long to wait for a job's event before asking the dispatcher about it.</param>
/// <param name="MaxAttempts">Starts of one job at most (crashes, hangs and lost jobs are retried up to this).</param>
/// <param name="JobsPerBatch">
/// Jobs of a phase per batch orchestration (<see cref="JobBatchOrchestrator"/>); 0, as in the input of a run started before
/// batches existed, runs every job in the run's own orchestration, so that such a run replays as it ran.
/// </param>
/// <param name="GroupedStarts">
/// Whether a fan-out starts its jobs' first attempts in one <see cref="Activities.StartJobsActivity"/> and their first wait
/// shares one timer; false, as in the input of a run started before, starts each job in its own activity with its own
/// timer, so that such a run replays as it ran.
/// </param>
public sealed record RunSettings(double JobTimeoutSeconds, double ProbeIntervalSeconds, int MaxAttempts, int JobsPerBatch = 0, bool GroupedStarts = false);

/// <summary>
/// What starts an integration run: the family and the exact input versions the starter saw (the run id derives
/// from them), how it was triggered, and the job settings.
/// </summary>
/// <param name="RunId">The run (orchestration instance) id.</param>
/// <param name="Family">The family.</param>
/// <param name="ManifestETag">The manifest version the run integrates under.</param>
/// <param name="Inputs">The inputs found for the manifest's sources (model A first when the manifest parsed).</param>
/// <param name="Trigger">What started it: <c>blob</c>, <c>schedule</c> or <c>http</c>.</param>
/// <param name="Settings">Job waiting settings.</param>
/// <param name="ManifestContentId">The manifest's content identity (<c>md5:...</c>): a manifest uploaded again with the same bytes is the same manifest.</param>
public sealed record RunRequest(string RunId, string Family, string ManifestETag, IReadOnlyList<RunInput> Inputs, string Trigger, RunSettings Settings,
    string? ManifestContentId = null);
