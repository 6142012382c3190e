using System.Collections.Concurrent;
using Cki.Workflow.Messages;
using Microsoft.DurableTask.Client;

namespace Cki.Workflow.Triggers;

/// <summary>
/// The orchestration that waits for each run's jobs (<see cref="JobEvents.WaiterAsync"/>), read once per run for a pass
/// over many results (a poll), instead of once per result: one status read per run and poll.
/// </summary>
public sealed class RunWaiters(DurableTaskClient client)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _waiters = new(StringComparer.Ordinal);

    /// <summary>How many runs' statuses were read.</summary>
    public int Reads => _waiters.Count;

    /// <summary>The waiter of run <paramref name="runId"/>, read at its first request.</summary>
    public Task<string> OfAsync(string runId, CancellationToken cancellationToken) =>
        _waiters.GetOrAdd(runId, id => new Lazy<Task<string>>(() => JobEvents.WaiterAsync(client, id, cancellationToken))).Value;
}
