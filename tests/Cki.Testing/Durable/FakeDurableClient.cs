using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Cki.Testing.Durable;

/// <summary>
/// A fake Durable client, in memory: no real client can answer without a backend, so code that only lists, looks up,
/// schedules, terminates or raises events on instances is tested against this one (tests that need a real backend run
/// the in-process workflow or the host over Azurite). It knows the instances a test presets and those it schedules,
/// records what it is asked (events raised, orchestrations scheduled, instances terminated), honours the id prefix and
/// status filters of a query but not its time filters, and supports nothing else.
/// </summary>
public sealed class FakeDurableClient : DurableTaskClient
{
    private readonly Dictionary<string, OrchestrationMetadata> _instances = new(StringComparer.Ordinal);

    /// <summary>A client that knows the given instances.</summary>
    public FakeDurableClient(params OrchestrationMetadata[] instances)
        : base("fake")
    {
        ArgumentNullException.ThrowIfNull(instances);
        foreach (var instance in instances)
        {
            _instances[instance.InstanceId] = instance;
        }
    }

    /// <summary>Events raised: instance id, event name, payload.</summary>
    public List<(string InstanceId, string EventName, object? Payload)> Events { get; } = [];

    /// <summary>Orchestrations scheduled: name, instance id, input.</summary>
    public List<(TaskName Name, string InstanceId, object? Input)> Scheduled { get; } = [];

    /// <summary>Instances terminated: instance id, output (the reason).</summary>
    public List<(string InstanceId, object? Output)> Terminated { get; } = [];

    /// <summary>An integration run's instance as the Azure Storage provider reports it, created and last updated <paramref name="minutesAgo"/>.</summary>
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

    /// <inheritdoc />
    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        Events.Add((instanceId, eventName, eventPayload));
        return Task.CompletedTask;
    }

    /// <summary>Records the orchestration and knows it from then on as a pending instance.</summary>
    public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null,
        StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        var id = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        Scheduled.Add((orchestratorName, id, input));
        var now = DateTimeOffset.UtcNow;
        _instances[id] = new OrchestrationMetadata(orchestratorName, id) { RuntimeStatus = OrchestrationRuntimeStatus.Pending, CreatedAt = now, LastUpdatedAt = now };
        return Task.FromResult(id);
    }

    /// <inheritdoc />
    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Task.FromResult(_instances.GetValueOrDefault(instanceId));

    /// <summary>The known instances matching the query's id prefix and statuses, in one page (time filters are not supported).</summary>
    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null)
    {
        if (filter is { CreatedFrom: not null } or { CreatedTo: not null })
        {
            throw new NotSupportedException("The fake client filters by instance id prefix and status, not by time.");
        }

        var matches = _instances.Values
            .Where(i => filter?.InstanceIdPrefix is not { } prefix || i.InstanceId.StartsWith(prefix, StringComparison.Ordinal))
            .Where(i => filter?.Statuses is not { } statuses || statuses.Contains(i.RuntimeStatus))
            .ToList();
        return Pageable.Create((string? _, int? _, CancellationToken _) => Task.FromResult(new Page<OrchestrationMetadata>(matches, null)));
    }

    /// <summary>Records the termination and marks a known instance terminated.</summary>
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

    /// <inheritdoc />
    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    /// <inheritdoc />
    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    /// <inheritdoc />
    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    /// <inheritdoc />
    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    /// <inheritdoc />
    public override Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    /// <inheritdoc />
    public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
