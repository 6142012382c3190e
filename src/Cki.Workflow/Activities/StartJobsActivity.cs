using Cki.Workflow.Dispatch;
using Cki.Workflow.Messages;
using Cki.Workflow.Storage;
using Cki.Workflow.Termination;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Cki.Workflow.Activities;

/// <summary>
/// Starts the first attempts of a fan-out's jobs in one activity, as <see cref="StartJobActivity"/> starts one: one round
/// trip through the task hub and one check of the run's terminated mark for the whole group instead of one per job. Every
/// job ends with an outcome of its own (a job the dispatcher refused does not stop the others); nothing is started when the
/// run was terminated.
/// </summary>
public sealed class StartJobsActivity(WorkflowStorage storage, IJobDispatcher dispatcher, ILogger<StartJobsActivity> logger)
    : TaskActivity<IReadOnlyList<JobStart>, IReadOnlyList<JobStartOutcome>>
{
    // Jobs handed over at once (spec writes and dispatcher calls are I/O; a Kubernetes dispatcher calls its API server).
    private const int Parallel = 8;

    /// <inheritdoc />
    public override async Task<IReadOnlyList<JobStartOutcome>> RunAsync(TaskActivityContext context, IReadOnlyList<JobStart> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Count == 0)
        {
            return [];
        }

        if (await RunTermination.IsTerminatedAsync(storage, input[0].Spec.RunId, CancellationToken.None).ConfigureAwait(false))
        {
            // Delivered after the run was terminated (the orchestration had scheduled it before): start nothing.
            return input.Select(_ => new JobStartOutcome(false, null)).ToList();
        }

        var outcomes = new JobStartOutcome[input.Count];
        await System.Threading.Tasks.Parallel.ForEachAsync(Enumerable.Range(0, input.Count), new ParallelOptions { MaxDegreeOfParallelism = Parallel }, async (i, _) =>
        {
            try
            {
                await JobLauncher.LaunchAsync(storage, dispatcher, logger, input[i]).ConfigureAwait(false);
                outcomes[i] = new JobStartOutcome(true, null);
            }
            catch (JobStartFailedException e)
            {
                outcomes[i] = new JobStartOutcome(false, e.Message);
            }
        }).ConfigureAwait(false);
        return outcomes;
    }
}
