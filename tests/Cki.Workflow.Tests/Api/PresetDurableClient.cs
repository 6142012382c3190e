using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Cki.Workflow.Tests.Api;

/// <summary>
/// A stand-in Durable client that knows a preset list of instances (with whatever status, custom status and failure
/// details a test gives them) and lists and looks them up as a real client would, in memory: the id prefix and
/// status filters of a query are honoured, the time filters are not supported. Everything else is not supported.
/// </summary>
internal sealed class PresetDurableClient(params OrchestrationMetadata[] instances) : DurableTaskClient("preset")
{
    /// <summary>An instance as the Azure Storage provider reports it.</summary>
    public static OrchestrationMetadata Instance(string instanceId, OrchestrationRuntimeStatus status, string? customStatus = null,
        TaskFailureDetails? failure = null, int minutesAgo = 0) =>
        new("IntegrationOrchestrator", instanceId)
        {
            RuntimeStatus = status,
            CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-minutesAgo),
            LastUpdatedAt = DateTimeOffset.UtcNow.AddMinutes(-minutesAgo),
            SerializedCustomStatus = customStatus,
            FailureDetails = failure,
        };

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null)
    {
        if (filter is { CreatedFrom: not null } or { CreatedTo: not null })
        {
            throw new NotSupportedException("The preset client filters by instance id prefix and status, not by time.");
        }

        var matches = instances
            .Where(i => filter?.InstanceIdPrefix is not { } prefix || i.InstanceId.StartsWith(prefix, StringComparison.Ordinal))
            .Where(i => filter?.Statuses is not { } statuses || statuses.Contains(i.RuntimeStatus))
            .ToList();
        return Pageable.Create((string? _, int? _, CancellationToken _) => Task.FromResult(new Page<OrchestrationMetadata>(matches, null)));
    }

    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Task.FromResult(instances.FirstOrDefault(i => i.InstanceId == instanceId));

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null,
        CancellationToken cancellation = default) => throw new NotSupportedException();

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
