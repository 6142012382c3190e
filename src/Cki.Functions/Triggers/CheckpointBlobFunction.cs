using Azure.Storage.Blobs;
using Cki.Contracts.Storage;
using Cki.Functions.Hosting;
using Cki.Workflow.Settings;
using Cki.Workflow.Storage;
using Cki.Workflow.Triggers;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Cki.Functions.Triggers;

/// <summary>
/// A new or changed blob under <c>checkpoints/{family}/</c> starts a run of the family's current inputs once the family
/// has settled (quiet for <c>CKI_SETTLE_SECONDS</c>, or marked by <c>_READY</c>): the body is
/// <see cref="CheckpointTrigger"/>, shared with the self-hosted host. The run id derives from the inputs' content, so
/// a burst of events for one drop starts at most one run. Two functions share the body: <see cref="Name"/> polls
/// (locally, in tests, on plans that poll) and <see cref="EventGridName"/> is fed by an Event Grid subscription (Flex
/// Consumption runs blob triggers only that way); the deployment turns one off with
/// <c>AzureWebJobs.{name}.Disabled</c>, which locally is <see cref="EventGridName"/>.
/// </summary>
public sealed class CheckpointBlobFunction(RunStarterFactory starters, WorkflowStorage storage, WorkflowSettings settings)
{
    /// <summary>The function's name (polling source).</summary>
    public const string Name = "CheckpointChanged";

    /// <summary>The function's name with the Event Grid source.</summary>
    public const string EventGridName = "CheckpointChangedEventGrid";

    /// <summary>
    /// Binds the blob as a client, never its content (checkpoints run to gigabytes). The path keeps one placeholder
    /// for the whole name; the family is its first segment.
    /// </summary>
    [Function(Name)]
    public Task RunAsync(
        [BlobTrigger(BlobLayout.CheckpointsContainer + "/{name}", Connection = BindingSettings.BlobTriggerConnection)] BlobClient blob,
        string name,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        FireAsync(name, client, cancellationToken);

    /// <summary>The same trigger fed by Event Grid (blob created events of the checkpoints container).</summary>
    [Function(EventGridName)]
    public Task RunFromEventGridAsync(
        [BlobTrigger(BlobLayout.CheckpointsContainer + "/{name}", Connection = BindingSettings.BlobTriggerConnection, Source = BlobTriggerSource.EventGrid)] BlobClient blob,
        string name,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        FireAsync(name, client, cancellationToken);

    private async Task FireAsync(string name, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return; // A blob at the container's root belongs to no family.
        }

        await new CheckpointTrigger(storage, starters.Create(client), client, settings.SettleSeconds)
            .FireAsync(name[..slash], cancellationToken).ConfigureAwait(false);
    }
}
