using System.Globalization;
using Cki.Contracts.Documents;
using Cki.Contracts.Jobs;
using Cki.Contracts.Runs;
using Cki.Contracts.Storage;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Messages;
using Cki.Workflow.Orchestration;
using Cki.Workflow.Runs;
using Cki.Workflow.Storage;
using Cki.Workflow.Termination;
using Microsoft.DurableTask.Client;

namespace Cki.Workflow.Api;

/// <summary>One run as the HTTP API lists it.</summary>
/// <param name="RunId">The run id.</param>
/// <param name="Family">The family (the id without its last <c>-{hash}</c>).</param>
/// <param name="Status">The orchestration status (Running, Completed, Failed, Terminated, ...).</param>
/// <param name="CreatedAt">When it was started.</param>
/// <param name="LastUpdatedAt">When it last changed.</param>
/// <param name="Progress">The custom status: phase, jobs done/total and the error, typed so that the API writes it in its own casing.</param>
/// <param name="Error">Why it failed, when it did: the custom status's reason, else the orchestration's failure, else the summary's.</param>
/// <param name="Headline">The integrated model's test metric beside the best input's, once the run has a summary that has them.</param>
/// <param name="Outcome">The summary's outcome once the run has ended: <c>completed</c> (published), <c>held</c>, <c>superseded</c>, <c>failed</c>.</param>
/// <param name="Published">The candidate the run published (<c>integrated</c>, <c>input b</c>, ...), when it published one.</param>
public sealed record RunView(string RunId, string Family, string Status, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt, RunStatus? Progress, string? Error,
    RunHeadline? Headline = null, string? Outcome = null, string? Published = null);

/// <summary>A run with its history: every job's result so far and the summary when the run has ended.</summary>
/// <param name="Run">The run.</param>
/// <param name="Jobs">The job results written so far.</param>
/// <param name="Summary">The run summary, when written.</param>
/// <param name="Termination">Who terminated the run, when and why, for a terminated run.</param>
public sealed record RunDetail(RunView Run, IReadOnlyList<JobResult> Jobs, RunSummary? Summary, TerminationMark? Termination = null);

/// <summary>The queries of the HTTP API, shared by both hosts: list runs, a run with its history, terminate.</summary>
/// <remarks>A run's history comes from <paramref name="history"/> when given, else through the Durable Task client.</remarks>
public sealed class RunQueries(DurableTaskClient client, WorkflowStorage storage, IJobDispatcher? dispatcher = null, IRunHistorySource? history = null)
{
    /// <summary>The runs one list call answers with when it names no <c>limit</c>.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>The most runs one list call answers with.</summary>
    public const int MaxPageSize = 500;

    /// <summary>
    /// Runs, newest first, filtered by family (exactly), status and creation time; empty filters are none. One page:
    /// <paramref name="limit"/> runs from the <paramref name="offset"/>-th on (only those are read in detail).
    /// </summary>
    public async Task<IReadOnlyList<RunView>> ListAsync(string? family, string? status, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken,
        int offset = 0, int limit = DefaultPageSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        family = string.IsNullOrWhiteSpace(family) ? null : family;
        var query = new OrchestrationQuery
        {
            // The prefix narrows the query; the family compare below drops longer families ("bad-" also prefixes "bad-x-...").
            InstanceIdPrefix = family is null ? null : family + "-",
            CreatedFrom = from,
            CreatedTo = to,
            Statuses = string.IsNullOrWhiteSpace(status) ? null : [ParseStatus(status)],
        };
        var instances = new List<OrchestrationMetadata>();
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            // Settle orchestrations are the trigger's waiting, and batches are parts of runs: neither is a run.
            if (RunIds.IsRun(instance.InstanceId)
                && (family is null || string.Equals(RunIds.FamilyOf(instance.InstanceId), family, StringComparison.Ordinal)))
            {
                instances.Add(instance);
            }
        }

        var runs = new List<RunView>();
        foreach (var instance in instances.OrderByDescending(i => i.CreatedAt).ThenBy(i => i.InstanceId, StringComparer.Ordinal).Skip(offset).Take(Math.Min(limit, MaxPageSize)))
        {
            runs.Add(await ViewAsync(instance, cancellationToken).ConfigureAwait(false));
        }

        return runs;
    }

    /// <summary>Parses the paging parameters of a list call (<c>offset</c>, <c>limit</c>); an error naming a bad one.</summary>
    public static (int Offset, int Limit) ParsePage(string? offset, string? limit) =>
        (Whole(offset, nameof(offset), 0, int.MaxValue, 0), Whole(limit, nameof(limit), 1, MaxPageSize, DefaultPageSize));

    private static int Whole(string? value, string name, int min, int max, int fallback) =>
        string.IsNullOrWhiteSpace(value) ? fallback
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n
        : throw new ArgumentException($"{name}: '{value}' is not a whole number from {min} to {max}.", name);

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
            if (BlobLayout.TryParseJobResult(blob.Name, out var run, out var job)
                && await storage.ReadAsync(RunDocuments.JobResult(run, job), cancellationToken).ConfigureAwait(false) is { } result)
            {
                jobs.Add(result);
            }
        }

        var summary = await SummaryAsync(runId, cancellationToken).ConfigureAwait(false);
        var termination = instance.RuntimeStatus == OrchestrationRuntimeStatus.Terminated
            ? await storage.ReadAsync(RunDocuments.Terminated(runId), cancellationToken).ConfigureAwait(false)
            : null;
        return new RunDetail(View(instance, await ProgressAsync(instance, cancellationToken).ConfigureAwait(false), summary), jobs, summary, termination);
    }

    /// <summary>The run's timeline from its orchestration history, or null when there is no such run.</summary>
    public async Task<RunTimeline?> TimelineAsync(string runId, CancellationToken cancellationToken)
    {
        if (await client.GetInstanceAsync(runId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        // A phase run in batches has its jobs in the batches' histories: their entries join the run's own.
        var source = history ?? new ClientHistorySource(client);
        var timeline = RunTimeline.FromHistory(runId, await source.ReadAsync(runId, cancellationToken).ConfigureAwait(false));
        var entries = timeline.Entries.ToList();
        var batches = new OrchestrationQuery { InstanceIdPrefix = JobBatchOrchestrator.InstancePrefix(runId) };
        await foreach (var batch in client.GetAllInstancesAsync(batches).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            entries.AddRange(RunTimeline.FromHistory(batch.InstanceId, await source.ReadAsync(batch.InstanceId, cancellationToken).ConfigureAwait(false)).Entries);
        }

        return timeline with { Entries = [.. entries.OrderBy(e => e.Scheduled)] };
    }

    /// <summary>The run's compatibility shares and heatmaps (empty before splicing), or null when there is no such run.</summary>
    public async Task<RunCompatibility?> CompatibilityAsync(string runId, CancellationToken cancellationToken) =>
        await client.GetInstanceAsync(runId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false) is null ? null
            : await RunCompatibility.ReadAsync(storage, runId, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// A file of the run's output folder (<c>integrated/{family}/{runId}/{file}</c>, at most 16 MB) with its content
    /// type, for the dashboard's links; null when the run or the file does not exist.
    /// </summary>
    public async Task<(Stream Content, long Length, string ContentType)?> OutputAsync(string runId, string file, CancellationToken cancellationToken)
    {
        // Streamed whatever its size: a shard of a large model is many GB.
        var name = BlobLayout.IntegratedFile(RunIds.FamilyOf(runId), runId, file);
        var read = await storage.OpenReadAsync(BlobLayout.IntegratedContainer, name, cancellationToken).ConfigureAwait(false);
        return read is null ? null : (read.Value.Content, read.Value.Length, Path.GetExtension(file) switch
        {
            ".md" => "text/markdown; charset=utf-8",
            ".json" => "application/json",
            ".png" => "image/png",
            ".svg" => "image/svg+xml",
            _ => "application/octet-stream",
        });
    }

    /// <summary>
    /// Terminates a run: it starts no more jobs, its queued and running jobs stop, and it publishes nothing (see
    /// <see cref="RunTerminator"/>); false when there is no such run.
    /// </summary>
    public Task<TerminationOutcome> TerminateAsync(string runId, string reason, CancellationToken cancellationToken, string? by = null) =>
        new RunTerminator(client, storage, dispatcher).TerminateAsync(runId, reason, cancellationToken, by);

    /// <summary>Parses a status filter by name, in any case; an error listing the accepted names.</summary>
    public static OrchestrationRuntimeStatus ParseStatus(string status) =>
        // By name only: Enum.TryParse would also take "1" or "Running,Completed".
        Enum.GetNames<OrchestrationRuntimeStatus>().FirstOrDefault(n => string.Equals(n, status, StringComparison.OrdinalIgnoreCase)) is { } name
            ? Enum.Parse<OrchestrationRuntimeStatus>(name)
            : throw new ArgumentException($"status: '{status}' is not one of {string.Join(", ", Enum.GetNames<OrchestrationRuntimeStatus>())}.", nameof(status));

    /// <summary>Parses a time filter (ISO 8601; UTC unless it says otherwise); an error naming the parameter.</summary>
    public static DateTimeOffset? ParseTime(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? null
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time
        : throw new ArgumentException($"{name}: '{value}' is not a date and time (ISO 8601, e.g. 2025-01-31T00:00:00Z).", name);

    // A listed run: a completed run shows its headline figure, and a failed run whose reason is neither in its status
    // nor in its failure details takes its summary's.
    private async Task<RunView> ViewAsync(OrchestrationMetadata instance, CancellationToken cancellationToken)
    {
        var progress = await ProgressAsync(instance, cancellationToken).ConfigureAwait(false);
        var summary = instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed
            || (instance.RuntimeStatus == OrchestrationRuntimeStatus.Failed && Error(instance, progress, summary: null) is null)
            ? await SummaryAsync(instance.InstanceId, cancellationToken).ConfigureAwait(false)
            : null;
        return View(instance, progress, summary);
    }

    private Task<RunSummary?> SummaryAsync(string runId, CancellationToken cancellationToken) =>
        storage.ReadAsync(RunDocuments.RunSummary(runId), cancellationToken);

    private static RunView View(OrchestrationMetadata instance, RunStatus? progress, RunSummary? summary) =>
        new(instance.InstanceId, RunIds.FamilyOf(instance.InstanceId), instance.RuntimeStatus.ToString(), instance.CreatedAt, instance.LastUpdatedAt, progress,
            Error(instance, progress, summary), RunHeadline.From(summary), summary?.Outcome,
            summary?.Outcome == RunOutcomes.Completed ? summary.Decision?.Chosen ?? Contracts.Runs.CandidateNames.Integrated : null);

    private static string? Error(OrchestrationMetadata instance, RunStatus? progress, RunSummary? summary) =>
        progress?.Error ?? NullIfEmpty(instance.FailureDetails?.ErrorMessage) ?? summary?.Error;

    // The run's status; while a batch of its jobs runs, the jobs that batch has finished count as done too.
    private async Task<RunStatus?> ProgressAsync(OrchestrationMetadata instance, CancellationToken cancellationToken)
    {
        var progress = RunStatus.Parse(instance.SerializedCustomStatus);
        if (progress?.Batch is not { } batch || instance.IsCompleted)
        {
            return progress;
        }

        var running = await client.GetInstanceAsync(batch, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        return RunStatus.Parse(running?.SerializedCustomStatus) is { } done ? progress with { JobsDone = progress.JobsDone + done.JobsDone } : progress;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
