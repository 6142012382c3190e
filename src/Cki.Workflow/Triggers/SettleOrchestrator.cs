using Cki.Workflow.Orchestration;
using Microsoft.DurableTask;

namespace Cki.Workflow.Triggers;

/// <summary>
/// The settle period of a drop, the same in both hosts: started by the checkpoint trigger once per state of a family's
/// blobs (instance <c>settle@{family}@{state}</c>: '@' is in no family name, so no run id starts so), it waits the settle period on a durable timer, then
/// <see cref="SettleActivity"/> starts the run only if the family's blobs are still in that state. A write during the
/// wait makes a new state with its own settle orchestration, so the run starts once the family has been quiet for the
/// settle period, on the final versions of every source.
/// </summary>
public sealed class SettleOrchestrator : TaskOrchestrator<SettleRequest, string>
{
    private const string Prefix = "settle@";

    /// <summary>The prefix of every settle instance of <paramref name="family"/>.</summary>
    public static string InstancePrefix(string family) => $"{Prefix}{family}@";

    /// <summary>The instance id of the settle orchestration of one state of a family.</summary>
    public static string InstanceId(string family, string stateKey) => InstancePrefix(family) + stateKey;

    /// <inheritdoc />
    public override async Task<string> RunAsync(TaskOrchestrationContext context, SettleRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        await context.CreateTimer(TimeSpan.FromSeconds(input.Seconds), CancellationToken.None);
        // A storage or backend hiccup must not lose the drop: the check is retried (StepRetries) before the settle orchestration gives up.
        return await context.CallActivityAsync<string>(nameof(SettleActivity), input, StepRetries.Options);
    }
}
