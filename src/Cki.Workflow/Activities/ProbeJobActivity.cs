using Cki.Contracts.Documents;
using Cki.Contracts.Jobs;
using Cki.Contracts.Storage;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Messages;
using Cki.Workflow.Storage;
using Microsoft.DurableTask;

namespace Cki.Workflow.Activities;

/// <summary>Asks after a job whose event has not come: its result blob first, then the dispatcher.</summary>
public sealed class ProbeJobActivity(WorkflowStorage storage, IJobDispatcher dispatcher) : TaskActivity<JobProbeRequest, JobCheck>
{
    /// <inheritdoc />
    public override async Task<JobCheck> RunAsync(TaskActivityContext context, JobProbeRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = RunDocuments.JobResult(input.RunId, input.JobId);
        if (await storage.ReadAsync(result, CancellationToken.None).ConfigureAwait(false) is { } found)
        {
            return new JobCheck(found, JobState.Exited, "result found");
        }

        var probe = await dispatcher.ProbeAsync(input.RunId, input.JobId, TimeSpan.FromSeconds(input.TimeoutSeconds), CancellationToken.None).ConfigureAwait(false);
        if (probe.State == JobState.Exited)
        {
            // It may have written its result between the two reads.
            if (await storage.ReadAsync(result, CancellationToken.None).ConfigureAwait(false) is { } late)
            {
                return new JobCheck(late, JobState.Exited, "result found");
            }

            return new JobCheck(null, JobState.Exited, $"crashed without a result: {probe.Detail}");
        }

        if (probe.State == JobState.Lost && !await StartedAsync(input.RunId, input.JobId).ConfigureAwait(false))
        {
            return new JobCheck(null, JobState.Lost, $"{probe.Detail}; it never started", Started: false);
        }

        return new JobCheck(null, probe.State, probe.Detail);
    }

    // Whether the job wrote its started mark for the spec of this attempt (the spec is written anew for every attempt).
    private async Task<bool> StartedAsync(string runId, string jobId)
    {
        var spec = await storage.ReadSmallAsync(BlobLayout.RunsContainer, BlobLayout.JobSpec(runId, jobId), JobJson.MaxDocumentBytes, CancellationToken.None)
            .ConfigureAwait(false);
        if (spec is null)
        {
            return false;
        }

        try
        {
            return await storage.ReadAsync(RunDocuments.JobStarted(runId, jobId), CancellationToken.None).ConfigureAwait(false) is { } mark
                && mark.SpecETag == spec.Value.ETag;
        }
        catch (InvalidDataException)
        {
            return true; // Something wrote a mark: count the attempt rather than risk restarting a job forever.
        }
    }
}
