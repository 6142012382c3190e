using Azure.Storage.Blobs;
using Cki.Contracts.Storage;
using Cki.Functions.Hosting;
using Cki.Workflow.Storage;
using Cki.Workflow.Triggers;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Cki.Functions.Triggers;

/// <summary>
/// A job writes <c>runs/{runId}/jobs/{jobId}/result.json</c> last; this trigger raises <c>job:{jobId}</c> with the
/// result on run <c>{runId}</c>, which the orchestrator waits for (raced against a timer and a probe, so a lost
/// event only delays the run). The body is <see cref="JobResultEvents"/>, shared with the self-hosted host.
/// <see cref="Name"/> polls; <see cref="EventGridName"/> is its Event Grid twin for Flex Consumption (see
/// <see cref="CheckpointBlobFunction"/>).
/// </summary>
public sealed class JobResultBlobFunction(WorkflowStorage storage, ILogger<JobResultEvents> logger)
{
    /// <summary>The function's name (polling source).</summary>
    public const string Name = "JobResultWritten";

    /// <summary>The function's name with the Event Grid source.</summary>
    public const string EventGridName = "JobResultWrittenEventGrid";

    /// <summary>
    /// Every blob of the runs container fires this trigger, model shards included, so the blob is bound as a client
    /// and never downloaded here: only result names are read, bounded by <see cref="Cki.Contracts.Jobs.JobJson.MaxDocumentBytes"/>.
    /// </summary>
    [Function(Name)]
    public Task RunAsync(
        [BlobTrigger(BlobLayout.RunsContainer + "/{name}", Connection = BindingSettings.BlobTriggerConnection)] BlobClient blob,
        string name,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        new JobResultEvents(storage, client, logger).RaiseAsync(name, cancellationToken);

    /// <summary>The same trigger fed by Event Grid (the subscription passes only <c>result.json</c> blobs).</summary>
    [Function(EventGridName)]
    public Task RunFromEventGridAsync(
        [BlobTrigger(BlobLayout.RunsContainer + "/{name}", Connection = BindingSettings.BlobTriggerConnection, Source = BlobTriggerSource.EventGrid)] BlobClient blob,
        string name,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        new JobResultEvents(storage, client, logger).RaiseAsync(name, cancellationToken);
}
