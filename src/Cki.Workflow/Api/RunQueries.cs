using System.Text.Json;
using Cki.Contracts.Jobs;
using Cki.Contracts.Storage;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Storage;
using Cki.Workflow.Termination;
using Microsoft.DurableTask.Client;

namespace Cki.Workflow.Api;

/// <summary>One run as the HTTP API lists it.</summary>
/// <param name="RunId">The run id.</param>
/// <param name="Family">The family (the id's prefix).</param>
/// <param name="Status">The orchestration status (Running, Completed, Failed, Terminated, ...).</param>
/// <param name="CreatedAt">When it was started.</param>
/// <param name="LastUpdatedAt">When it last changed.</param>
/// <param name="Progress">The custom status: phase and jobs done/total.</param>
/// <param name="Error">Why it failed, when it did.</param>
public sealed record RunView(string RunId, string Family, string Status, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt, JsonElement? Progress, string? Error);

/// <summary>A run with its history: every job's result so far and the summary when the run has ended.</summary>
/// <param name="Run">The run.</param>
/// <param name="Jobs">The job results written so far.</param>
/// <param name="Summary">The run summary, when written.</param>
public sealed record RunDetail(RunView Run, IReadOnlyList<JobResult> Jobs, JsonElement? Summary);

/// <summary>The queries of the HTTP API, shared by both hosts: list runs, a run with its history, terminate.</summary>
public sealed class RunQueries(DurableTaskClient client, WorkflowStorage storage, IJobDispatcher? dispatcher = null)
{
    /// <summary>Runs, newest first, filtered by family, status and creation time.</summary>
    public async Task<IReadOnlyList<RunView>> ListAsync(string? family, string? status, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = family is null ? null : family + "-",
            CreatedFrom = from,
            CreatedTo = to,
            Statuses = status is null ? null : [ParseStatus(status)],
        };
        var runs = new List<RunView>();
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            runs.Add(View(instance));
        }

        return runs.OrderByDescending(r => r.CreatedAt).ToList();
    }

    /// <summary>A run and its history, or null when there is no such run.</summary>
    public async Task<RunDetail?> GetAsync(string runId, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(runId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        if (instance is null)
        {
            return null;
        }

        var jobs = new List<JobResult>();
        foreach (var blob in await storage.ListAsync(BlobLayout.RunsContainer, BlobLayout.RunPrefix(runId), cancellationToken).ConfigureAwait(false))
        {
            if (BlobLayout.TryParseJobResult(blob.Name, out _, out _)
                && await storage.ReadSmallAsync(BlobLayout.RunsContainer, blob.Name, JobJson.MaxDocumentBytes, cancellationToken).ConfigureAwait(false) is { } read)
            {
                jobs.Add(JobJson.Deserialize<JobResult>(read.Content, $"{BlobLayout.RunsContainer}/{blob.Name}"));
            }
        }

        var summary = await storage.ReadSmallAsync(BlobLayout.RunsContainer, BlobLayout.RunSummary(runId), JobJson.MaxDocumentBytes, cancellationToken).ConfigureAwait(false);
        return new RunDetail(View(instance), jobs, summary is null ? null : JsonDocument.Parse(summary.Value.Content).RootElement.Clone());
    }

    /// <summary>
    /// Terminates a run: it starts no more jobs, its queued and running jobs stop, and it publishes nothing (see
    /// <see cref="RunTerminator"/>); false when there is no such run.
    /// </summary>
    public async Task<bool> TerminateAsync(string runId, string reason, CancellationToken cancellationToken) =>
        (await new RunTerminator(client, storage, dispatcher).TerminateAsync(runId, reason, cancellationToken).ConfigureAwait(false)).Found;

    /// <summary>Parses a status filter by name, in any case; an error listing the accepted names.</summary>
    public static OrchestrationRuntimeStatus ParseStatus(string status) =>
        // By name only: Enum.TryParse would also take "1" or "Running,Completed".
        Enum.GetNames<OrchestrationRuntimeStatus>().FirstOrDefault(n => string.Equals(n, status, StringComparison.OrdinalIgnoreCase)) is { } name
            ? Enum.Parse<OrchestrationRuntimeStatus>(name)
            : throw new ArgumentException($"status: '{status}' is not one of {string.Join(", ", Enum.GetNames<OrchestrationRuntimeStatus>())}.", nameof(status));

    private static RunView View(OrchestrationMetadata instance)
    {
        JsonElement? progress = instance.SerializedCustomStatus is { } custom ? JsonDocument.Parse(custom).RootElement.Clone() : null;
        var dash = instance.InstanceId.LastIndexOf('-');
        return new RunView(instance.InstanceId, dash > 0 ? instance.InstanceId[..dash] : instance.InstanceId, instance.RuntimeStatus.ToString(),
            instance.CreatedAt, instance.LastUpdatedAt, progress, instance.FailureDetails?.ErrorMessage);
    }
}
