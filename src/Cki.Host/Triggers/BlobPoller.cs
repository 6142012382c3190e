using Cki.Contracts.Storage;
using Cki.Workflow.Runs;
using Cki.Workflow.Storage;
using Cki.Workflow.Triggers;

namespace Cki.Host.Triggers;

/// <summary>
/// The self-hosted blob triggers, with the semantics of the Functions BlobTriggers: a new or changed blob under
/// <c>checkpoints/{family}/</c> asks the run starter for a run of that family (one run per input set, however many
/// blobs a drop has, in whatever order); a new job <c>result.json</c> raises the job's event on its run. Each blob
/// version triggers once; the receipts survive restarts.
/// </summary>
public sealed partial class BlobPoller(WorkflowStorage storage, RunStarter starter, JobResultEvents results, CkiHostOptions options, PollSignal signal,
    ILogger<BlobPoller> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var checkpoints = new TriggerReceipts(storage, "checkpoints");
        var jobResults = new TriggerReceipts(storage, "job-results");
        await checkpoints.LoadAsync(stoppingToken).ConfigureAwait(false);
        await jobResults.LoadAsync(stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollResultsAsync(jobResults, stoppingToken).ConfigureAwait(false);
                await PollCheckpointsAsync(checkpoints, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                PollFailed(logger, e.Message);
            }

            await signal.WaitAsync(TimeSpan.FromSeconds(options.PollSeconds), stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task PollResultsAsync(TriggerReceipts receipts, CancellationToken cancellationToken)
    {
        var fresh = (await storage.ListAsync(BlobLayout.RunsContainer, null, cancellationToken).ConfigureAwait(false))
            .Where(b => b.Name.EndsWith("/result.json", StringComparison.Ordinal) && !receipts.Handled(b)).ToList();
        var done = new List<BlobItemInfo>();
        foreach (var blob in fresh)
        {
            try
            {
                await results.RaiseAsync(blob.Name, cancellationToken).ConfigureAwait(false);
                done.Add(blob);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                TriggerFailed(logger, blob.Name, e.Message);
            }
        }

        if (done.Count > 0)
        {
            await receipts.RecordAsync(done, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PollCheckpointsAsync(TriggerReceipts receipts, CancellationToken cancellationToken)
    {
        var fresh = (await storage.ListAsync(BlobLayout.CheckpointsContainer, null, cancellationToken).ConfigureAwait(false))
            .Where(b => !receipts.Handled(b)).ToList();
        var done = new List<BlobItemInfo>();
        foreach (var family in fresh.GroupBy(b => b.Name.Split('/')[0], StringComparer.Ordinal))
        {
            try
            {
                await starter.StartAsync(family.Key, "blob", evenIfIncomplete: false, cancellationToken).ConfigureAwait(false);
                done.AddRange(family);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                TriggerFailed(logger, $"{BlobLayout.CheckpointsContainer}/{family.Key}/", e.Message);
            }
        }

        if (done.Count > 0)
        {
            await receipts.RecordAsync(done, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "blob poll failed: {Reason}")]
    private static partial void PollFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "trigger for {Blob} failed (retried at the next poll): {Reason}")]
    private static partial void TriggerFailed(ILogger logger, string blob, string reason);
}
