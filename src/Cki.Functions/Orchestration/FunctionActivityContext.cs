using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Cki.Functions.Orchestration;

/// <summary>The activity context handed to a wrapped <see cref="TaskActivity{TInput, TOutput}"/>: its name and its orchestration's id.</summary>
/// <param name="name">The activity's name.</param>
/// <param name="instanceId">The calling orchestration's instance id (empty when the trigger gave none).</param>
public sealed class FunctionActivityContext(TaskName name, string instanceId) : TaskActivityContext
{
    /// <inheritdoc />
    public override TaskName Name { get; } = name;

    /// <inheritdoc />
    public override string InstanceId { get; } = instanceId;

    /// <summary>The context of the activity a function invocation runs: the function's name and the calling orchestration's id.</summary>
    public static FunctionActivityContext Of(FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var instanceId = context.BindingContext.BindingData.TryGetValue("instanceId", out var id) ? id?.ToString() ?? "" : "";
        return new FunctionActivityContext(context.FunctionDefinition.Name, instanceId);
    }
}
