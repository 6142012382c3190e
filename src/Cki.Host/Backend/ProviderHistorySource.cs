using Cki.Workflow.Api;
using DurableTask.AzureStorage;

namespace Cki.Host.Backend;

/// <summary>
/// A run's history read from the Azure Storage provider itself: the gRPC sidecar in front of it answers history
/// requests with nothing, so the host asks the provider, which dumps the latest execution's events as JSON.
/// </summary>
internal sealed class ProviderHistorySource(AzureStorageOrchestrationService service) : IRunHistorySource
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<RunHistoryEvent>> ReadAsync(string runId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return RunHistoryEvent.ParseDump(await service.GetOrchestrationHistoryAsync(runId, executionId: null).ConfigureAwait(false));
    }
}
