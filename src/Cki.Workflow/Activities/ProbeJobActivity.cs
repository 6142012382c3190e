using Cki.Contracts.Jobs;
using Cki.Contracts.Storage;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Storage;
using Microsoft.DurableTask;

namespace Cki.Workflow.Activities;

/// <summary>Which job to ask about, and after how long it counts as hung.</summary>
/// <param name="RunId">The run.</param>
/// <param name="JobId">The job.</param>
/// <param name="TimeoutSeconds">Running time after which the dispatcher stops it.</param>
public sealed record JobProbeRequest(string RunId, string JobId, double TimeoutSeconds);

/// <summary>What became of a job: its result when it wrote one (the event may have been lost), else the dispatcher's answer.</summary>
/// <param name="Result">The result, when <c>result.json</c> exists.</param>
/// <param name="State">The dispatcher's state of the job.</param>
/// <param name="Detail">What a user reads.</param>
/// <param name="Started">Whether this attempt began running (false only for a lost job that never started: not an attempt).</param>
public sealed record JobCheck(JobResult? Result, JobState State, string Detail, bool Started = true);

/// <summary>Asks after a job whose event has not come: its result blob first, then the dispatcher.</summary>
public sealed class ProbeJobActivity(WorkflowStorage storage, IJobDispatcher dispatcher) : TaskActivity<JobProbeRequest, JobCheck>
{
    /// <inheritdoc />
    public override async Task<JobCheck> RunAsync(TaskActivityContext context, JobProbeRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var name = BlobLayout.JobResult(input.RunId, input.JobId);
        if (await storage.ReadSmallAsync(BlobLayout.RunsContainer, name, JobJson.MaxDocumentBytes, CancellationToken.None).ConfigureAwait(false) is { } read)
        {
            return new JobCheck(JobJson.Deserialize<JobResult>(read.Content, $"{BlobLayout.RunsContainer}/{name}"), JobState.Exited, "result found");
        }

        var probe = await dispatcher.ProbeAsync(input.RunId, input.JobId, TimeSpan.FromSeconds(input.TimeoutSeconds), CancellationToken.None).ConfigureAwait(false);
        if (probe.State == JobState.Exited)
        {
            // It may have written its result between the two reads.
            if (await storage.ReadSmallAsync(BlobLayout.RunsContainer, name, JobJson.MaxDocumentBytes, CancellationToken.None).ConfigureAwait(false) is { } late)
            {
                return new JobCheck(JobJson.Deserialize<JobResult>(late.Content, $"{BlobLayout.RunsContainer}/{name}"), JobState.Exited, "result found");
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
        var name = BlobLayout.JobStarted(runId, jobId);
        var mark = await storage.ReadSmallAsync(BlobLayout.RunsContainer, name, JobJson.MaxDocumentBytes, CancellationToken.None).ConfigureAwait(false);
        if (spec is null || mark is null)
        {
            return false;
        }

        try
        {
            return JobJson.Deserialize<JobStartedMark>(mark.Value.Content, $"{BlobLayout.RunsContainer}/{name}").SpecETag == spec.Value.ETag;
        }
        catch (InvalidDataException)
        {
            return true; // Something wrote a mark: count the attempt rather than risk restarting a job forever.
        }
    }
}
