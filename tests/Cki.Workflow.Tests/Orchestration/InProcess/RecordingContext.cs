using System.Globalization;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cki.Workflow.Tests.Orchestration.InProcess;

/// <summary>
/// The runtime's orchestration context, passed through unchanged, that writes down every decision the orchestrator
/// makes with it (activities with their inputs, timers, event waits, custom status) for replay checks.
/// </summary>
internal sealed class RecordingContext(TaskOrchestrationContext inner, List<string> decisions) : TaskOrchestrationContext
{
    public override TaskName Name => inner.Name;

    public override string InstanceId => inner.InstanceId;

    public override ParentOrchestrationInstance? Parent => inner.Parent;

    public override DateTime CurrentUtcDateTime => inner.CurrentUtcDateTime;

    public override bool IsReplaying => inner.IsReplaying;

    protected override ILoggerFactory LoggerFactory => NullLoggerFactory.Instance;

    public override T? GetInput<T>()
        where T : default => inner.GetInput<T>();

    public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null)
    {
        Record($"activity {name.Name} {Json(input)} retry={options?.Retry?.Policy?.MaxNumberOfAttempts}");
        return inner.CallActivityAsync<TResult>(name, input, options);
    }

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        Record(string.Create(CultureInfo.InvariantCulture, $"timer {fireAt:O}"));
        return inner.CreateTimer(fireAt, cancellationToken);
    }

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        Record($"wait {eventName}");
        return inner.WaitForExternalEvent<T>(eventName, cancellationToken);
    }

    public override void SendEvent(string instanceId, string eventName, object payload)
    {
        Record($"send {instanceId} {eventName} {Json(payload)}");
        inner.SendEvent(instanceId, eventName, payload);
    }

    public override void SetCustomStatus(object? customStatus)
    {
        Record($"status {Json(customStatus)}");
        inner.SetCustomStatus(customStatus);
    }

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null)
    {
        Record($"suborchestration {orchestratorName.Name} {Json(input)}");
        return inner.CallSubOrchestratorAsync<TResult>(orchestratorName, input, options);
    }

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true)
    {
        Record($"continue-as-new {Json(newInput)}");
        inner.ContinueAsNew(newInput, preserveUnprocessedEvents);
    }

    public override Guid NewGuid()
    {
        var guid = inner.NewGuid();
        Record($"guid {guid}");
        return guid;
    }

    private void Record(string decision)
    {
        lock (decisions)
        {
            decisions.Add(decision);
        }
    }

    private static string Json(object? value) => value is null ? "null" : JsonSerializer.Serialize(value, value.GetType());
}
