using System.Collections.Concurrent;
using Cki.Host.Configuration;
using Cki.Contracts.Storage;
using Cki.Workflow.Runs;
using Cki.Workflow.Storage;
using Cki.Workflow.Triggers;
using Microsoft.DurableTask.Client;

namespace Cki.Host.Triggers;

/// <summary>
/// The self-hosted blob triggers, with the semantics of the Functions BlobTriggers: a new or changed blob under
/// <c>checkpoints/{family}/</c> goes to the <see cref="CheckpointTrigger"/> (the run starts once the family has settled;
/// one run per input set, however many blobs a drop has, in whatever order); a new job <c>result.json</c> raises the
/// job's event on its run. Each blob version triggers once; the receipts survive restarts. A poll lists only what can
/// change: the checkpoints container and the job folders of runs in flight, so its cost does not grow with run history;
/// receipts of blobs that are gone and of runs that have ended are dropped.
/// </summary>
public sealed partial class BlobPoller(WorkflowStorage storage, RunStarter starter, JobResultEvents results, DurableTaskClient client, CkiHostOptions options,
    PollSignal signal, ILogger<BlobPoller> logger)
    : BackgroundService
{
    // Result events raised at once by a poll.
    private const int RaisesAtOnce = 8;

    private int _blobsListed;

    /// <summary>How many blobs the last poll listed (both containers), for measurements and tests.</summary>
    public int BlobsListed => Volatile.Read(ref _blobsListed);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var checkpoints = new TriggerReceipts(storage, "checkpoints");
        var jobResults = new TriggerReceipts(storage, "job-results");
        var trigger = new CheckpointTrigger(storage, starter, client, options.SettleSeconds);
        await checkpoints.LoadAsync(stoppingToken).ConfigureAwait(false);
        await jobResults.LoadAsync(stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var listed = await PollResultsAsync(jobResults, stoppingToken).ConfigureAwait(false);
                listed += await PollCheckpointsAsync(checkpoints, trigger, stoppingToken).ConfigureAwait(false);
                Volatile.Write(ref _blobsListed, listed);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                PollFailed(logger, e.Message);
            }

            await signal.WaitAsync(TimeSpan.FromSeconds(options.PollSeconds), stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task<int> PollResultsAsync(TriggerReceipts receipts, CancellationToken cancellationToken)
    {
        var inFlight = await RunsInFlightAsync(cancellationToken).ConfigureAwait(false);
        var listing = new List<BlobItemInfo>();
        foreach (var runId in inFlight)
        {
            listing.AddRange(await storage.ListAsync(BlobLayout.RunsContainer, BlobLayout.RunPrefix(runId) + "jobs/", cancellationToken).ConfigureAwait(false));
        }

        // The new results' events go out several at once (so that the orchestration takes them in fewer episodes), and
        // each run's status is read once for them all.
        var done = new ConcurrentBag<BlobItemInfo>();
        var waiters = new RunWaiters(client);
        await Parallel.ForEachAsync(listing.Where(b => BlobLayout.TryParseJobResult(b.Name, out _, out _) && !receipts.Handled(b)),
            new ParallelOptions { MaxDegreeOfParallelism = RaisesAtOnce, CancellationToken = cancellationToken }, async (blob, token) =>
            {
                try
                {
                    await results.RaiseAsync(blob.Name, waiters, token).ConfigureAwait(false);
                    done.Add(blob);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    TriggerFailed(logger, blob.Name, e.Message);
                }
            }).ConfigureAwait(false);

        // Receipts of runs that have ended are dropped: their results are never listed again.
        await receipts.RecordAsync(done, name => BlobLayout.TryParseJobResult(name, out var runId, out _) && inFlight.Contains(runId), cancellationToken)
            .ConfigureAwait(false);
        return listing.Count;
    }

    private async Task<HashSet<string>> RunsInFlightAsync(CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running] };
        var runs = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (RunIds.IsRun(instance.InstanceId))
            {
                runs.Add(instance.InstanceId);
            }
        }

        return runs;
    }

    private async Task<int> PollCheckpointsAsync(TriggerReceipts receipts, CheckpointTrigger trigger, CancellationToken cancellationToken)
    {
        var listing = await storage.ListAsync(BlobLayout.CheckpointsContainer, null, cancellationToken).ConfigureAwait(false);
        var done = new List<BlobItemInfo>();
        foreach (var family in listing.Where(b => !receipts.Handled(b)).GroupBy(b => b.Name.Split('/')[0], StringComparer.Ordinal))
        {
            try
            {
                await trigger.FireAsync(family.Key, cancellationToken).ConfigureAwait(false);
                done.AddRange(family);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                TriggerFailed(logger, $"{BlobLayout.CheckpointsContainer}/{family.Key}/", e.Message);
            }
        }

        // Receipts of blobs that are gone are dropped.
        var names = listing.Select(b => b.Name).ToHashSet(StringComparer.Ordinal);
        await receipts.RecordAsync(done, names.Contains, cancellationToken).ConfigureAwait(false);
        return listing.Count;
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "blob poll failed: {Reason}")]
    private static partial void PollFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "trigger for {Blob} failed (retried at the next poll): {Reason}")]
    private static partial void TriggerFailed(ILogger logger, string blob, string reason);
}
