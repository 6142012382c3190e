
namespace Cki.Workflow.Messages;

/// <summary>
/// How jobs are waited for: the orchestration's input carries it so that replays never read configuration. The values
/// come from <see cref="Settings.WorkflowSettings"/>, where their defaults are.
/// </summary>
/// <param name="JobTimeoutSeconds">Running time after which a job counts as hung and is stopped.</param>
/// <param name="ProbeIntervalSeconds">How long to wait for a job's event before asking the dispatcher about it.</param>
/// <param name="MaxAttempts">Starts of one job at most (crashes, hangs and lost jobs are retried up to this).</param>
/// <param name="JobsPerBatch">
/// Jobs of a phase per batch orchestration (<c>JobBatchOrchestrator</c>); 0, as in the input of a run started before
/// batches existed, runs every job in the run's own orchestration, so that such a run replays as it ran.
/// </param>
/// <param name="GroupedStarts">
/// Whether a fan-out starts its jobs' first attempts in one <c>StartJobsActivity</c> and their first wait shares one timer;
/// false, as in the input of a run started before, starts each job in its own activity with its own timer, so that such a
/// run replays as it ran.
/// </param>
public sealed record RunSettings(double JobTimeoutSeconds, double ProbeIntervalSeconds, int MaxAttempts, int JobsPerBatch = 0, bool GroupedStarts = false);
