using Azure.Storage.Blobs;
using Cki.Contracts.Storage;
using Cki.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Cki.Functions.Triggers;

/// <summary>
/// A new or changed blob under <c>checkpoints/{family}/</c> starts a run of the family's current inputs; the run id
/// derives from the input versions, so a burst of events for one drop starts at most one run.
/// </summary>
public sealed class CheckpointBlobFunction(RunStarterFactory starters)
{
    /// <summary>The function's name.</summary>
    public const string Name = "CheckpointChanged";

    /// <summary>
    /// Binds the blob as a client, never its content (checkpoints run to gigabytes). The path keeps one placeholder
    /// for the whole name; the family is its first segment.
    /// </summary>
    [Function(Name)]
    public async Task RunAsync(
        [BlobTrigger(BlobLayout.CheckpointsContainer + "/{name}", Connection = CkiSettings.BlobTriggerConnection)] BlobClient blob,
        string name,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return; // A blob at the container's root belongs to no family.
        }

        await starters.Create(client).StartAsync(name[..slash], "blob", evenIfIncomplete: false, cancellationToken).ConfigureAwait(false);
    }
}
