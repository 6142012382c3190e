using System.Globalization;
using System.Text.Json;
using DurableTask.Core.History;
using Microsoft.DurableTask.Client;

namespace Cki.Workflow.Api;

/// <summary>One event of an orchestration's history, as much of it as a timeline needs, whatever backend it came from.</summary>
/// <param name="Type">The Durable Task event type (<c>TaskScheduled</c>, <c>TaskCompleted</c>, <c>EventRaised</c>, ...).</param>
/// <param name="EventId">The event id (a scheduled task's id, which its completion names).</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Name">The activity or event name.</param>
/// <param name="Input">The activity's input, the event's payload, or the termination reason (JSON).</param>
/// <param name="Result">A completed activity's result (JSON).</param>
/// <param name="TaskScheduledId">For a completion or failure, the id of the scheduled task.</param>
/// <param name="Failure">For a failed activity or orchestration, its error message.</param>
public sealed record RunHistoryEvent(string Type, int EventId, DateTimeOffset Timestamp, string? Name = null, string? Input = null, string? Result = null,
    int TaskScheduledId = -1, string? Failure = null)
{
    /// <summary>The event of the Durable Task SDK's history type.</summary>
    public static RunHistoryEvent From(HistoryEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var at = new DateTimeOffset(DateTime.SpecifyKind(e.Timestamp, DateTimeKind.Utc));
        return e switch
        {
            TaskScheduledEvent s => new(e.EventType.ToString(), e.EventId, at, s.Name, s.Input),
            TaskCompletedEvent c => new(e.EventType.ToString(), e.EventId, at, Result: c.Result, TaskScheduledId: c.TaskScheduledId),
            TaskFailedEvent f => new(e.EventType.ToString(), e.EventId, at, TaskScheduledId: f.TaskScheduledId, Failure: f.FailureDetails?.ErrorMessage ?? f.Reason),
            EventRaisedEvent r => new(e.EventType.ToString(), e.EventId, at, r.Name, r.Input),
            ExecutionCompletedEvent d => new(e.EventType.ToString(), e.EventId, at, Result: d.Result, Failure: d.FailureDetails?.ErrorMessage),
            ExecutionTerminatedEvent t => new(e.EventType.ToString(), e.EventId, at, Input: t.Input),
            _ => new(e.EventType.ToString(), e.EventId, at),
        };
    }

    /// <summary>
    /// The events of a history dumped as JSON by the Durable Task Azure Storage provider (its
    /// <c>GetOrchestrationHistoryAsync</c>: an array of events with PascalCase names and the event type as a number).
    /// </summary>
    public static IReadOnlyList<RunHistoryEvent> ParseDump(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        var events = new List<RunHistoryEvent>();
        foreach (var e in document.RootElement.EnumerateArray())
        {
            var type = Get(e, "EventType") is { } t
                ? t.ValueKind == JsonValueKind.Number ? ((EventType)t.GetInt32()).ToString() : t.GetString() ?? ""
                : "";
            var failure = Get(e, "FailureDetails") is { ValueKind: JsonValueKind.Object } details ? Text(details, "ErrorMessage") : null;
            events.Add(new RunHistoryEvent(type, Number(e, "EventId") ?? -1,
                Get(e, "Timestamp") is { ValueKind: JsonValueKind.String } time ? DateTimeOffset.Parse(time.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : default,
                Text(e, "Name"), Text(e, "Input"), Text(e, "Result"), Number(e, "TaskScheduledId") ?? -1, failure ?? Text(e, "Reason")));
        }

        return events;
    }

    private static JsonElement? Get(JsonElement e, string name) => e.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? Text(JsonElement e, string name) => Get(e, name) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    private static int? Number(JsonElement e, string name) => Get(e, name) is { ValueKind: JsonValueKind.Number } n ? n.GetInt32() : null;
}

/// <summary>Where a host reads a run's orchestration history from.</summary>
public interface IRunHistorySource
{
    /// <summary>The history of <paramref name="runId"/>'s latest execution, oldest first.</summary>
    Task<IReadOnlyList<RunHistoryEvent>> ReadAsync(string runId, CancellationToken cancellationToken);
}

/// <summary>The history through the Durable Task client (backends whose client streams history, e.g. the Functions host's).</summary>
public sealed class ClientHistorySource(DurableTaskClient client) : IRunHistorySource
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<RunHistoryEvent>> ReadAsync(string runId, CancellationToken cancellationToken) =>
        (await client.GetOrchestrationHistoryAsync(runId, cancellationToken).ConfigureAwait(false)).Select(RunHistoryEvent.From).ToList();
}
