using Microsoft.DurableTask.Client;

namespace Cki.Workflow.Messages;

/// <summary>The external event that reports a job's result to the orchestration waiting for it.</summary>
public static class JobEvents
{
    /// <summary><c>job:{jobId}</c>.</summary>
    public static string Name(string jobId) => $"job:{jobId}";

    /// <summary><c>batch:{instanceId}</c>: a batch's outcome, sent to its run when the batch has ended.</summary>
    public static string BatchEnded(string batchInstanceId) => $"batch:{batchInstanceId}";

    /// <summary>
    /// The orchestration that waits for run <paramref name="runId"/>'s jobs now: the batch its status names
    /// (<see cref="RunStatus.Batch"/>; batches run one after another and a batch's jobs start only once the run's status
    /// names it), else the run itself. An event that still reaches the wrong one is harmless: the waiting job's probe
    /// finds its result.
    /// </summary>
    public static async Task<string> WaiterAsync(DurableTaskClient client, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var run = await client.GetInstanceAsync(runId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        return RunStatus.Parse(run?.SerializedCustomStatus)?.Batch ?? runId;
    }
}
