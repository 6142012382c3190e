using Microsoft.DurableTask;

namespace Cki.Workflow.Tests.Orchestration.InProcess;

/// <summary>Runs a real orchestrator unchanged, on a <see cref="RecordingContext"/> that writes its decisions to a <see cref="DecisionLog"/>.</summary>
internal sealed class RecordingOrchestrator(ITaskOrchestrator inner, DecisionLog log) : ITaskOrchestrator
{
    public Type InputType => inner.InputType;

    public Type OutputType => inner.OutputType;

    public Task<object?> RunAsync(TaskOrchestrationContext context, object? input) =>
        inner.RunAsync(new RecordingContext(context, log.BeginEpisode(context.InstanceId)), input);
}
