using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Cki.Functions.Tests;

/// <summary>
/// A stand-in for the Durable client the Functions host injects through <c>[DurableClient]</c>: the host cannot run
/// here, so this records what a function asks of it (events raised, orchestrations scheduled) and knows
/// the instances it scheduled (listed, looked up and terminated as a real client would, but only in memory).
/// Everything else is not supported.
/// </summary>
internal sealed class RecordingDurableClient() : DurableTaskClient("recording")
{
    private readonly Dictionary<string, OrchestrationMetadata> _instances = new(StringComparer.Ordinal);

    /// <summary>Events raised: instance id, event name, payload.</summary>
    public List<(string InstanceId, string EventName, object? Payload)> Events { get; } = [];

    /// <summary>Orchestrations scheduled: name, instance id, input.</summary>
    public List<(TaskName Name, string InstanceId, object? Input)> Scheduled { get; } = [];

    /// <summary>Instances terminated: instance id, output (the reason).</summary>
    public List<(string InstanceId, object? Output)> Terminated { get; } = [];

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        Events.Add((instanceId, eventName, eventPayload));
        return Task.CompletedTask;
    }

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null,
        StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        var id = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        Scheduled.Add((orchestratorName, id, input));
        var now = DateTimeOffset.UtcNow;
        _instances[id] = new OrchestrationMetadata(orchestratorName, id) { RuntimeStatus = OrchestrationRuntimeStatus.Pending, CreatedAt = now, LastUpdatedAt = now };
        return Task.FromResult(id);
    }

    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Task.FromResult(_instances.GetValueOrDefault(instanceId));

    /// <summary>The recorded instances matching the query's id prefix and statuses, in one page (other filters are not supported).</summary>
    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null)
    {
        if (filter is { CreatedFrom: not null } or { CreatedTo: not null })
        {
            throw new NotSupportedException("The recording client filters by instance id prefix and status, not by time.");
        }

        var matches = _instances.Values
            .Where(i => filter?.InstanceIdPrefix is not { } prefix || i.InstanceId.StartsWith(prefix, StringComparison.Ordinal))
            .Where(i => filter?.Statuses is not { } statuses || statuses.Contains(i.RuntimeStatus))
            .ToList();
        return Pageable.Create((string? _, int? _, CancellationToken _) => Task.FromResult(new Page<OrchestrationMetadata>(matches, null)));
    }

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        Terminated.Add((instanceId, options?.Output));
        if (_instances.TryGetValue(instanceId, out var instance))
        {
            _instances[instanceId] = new OrchestrationMetadata(instance.Name, instanceId)
            {
                RuntimeStatus = OrchestrationRuntimeStatus.Terminated,
                CreatedAt = instance.CreatedAt,
                LastUpdatedAt = DateTimeOffset.UtcNow,
            };
        }

        return Task.CompletedTask;
    }

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
