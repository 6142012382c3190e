using System.Text.Json;

namespace Cki.Workflow.Messages;

/// <summary>The orchestration's custom status: the phase and how many jobs are done of how many started.</summary>
/// <param name="Phase">validate, profile, assess, splice, assemble, evaluate, retrain, report, publish, completed or failed.</param>
/// <param name="JobsDone">Jobs finished so far (in the run's own orchestration: not counting the batch in flight, whose own status counts its jobs).</param>
/// <param name="JobsTotal">Jobs started so far (a phase run in batches counts all its jobs when it begins, as a fan-out does).</param>
/// <param name="Error">Why the run failed, when it did.</param>
/// <param name="Batch">The instance id of the <c>JobBatchOrchestrator</c> running some of this phase's jobs now, else null.</param>
public sealed record RunStatus(string Phase, int JobsDone, int JobsTotal, string? Error = null, string? Batch = null)
{
    // The custom status as the Durable Task data converter wrote it (its default: PascalCase names).
    private static readonly JsonSerializerOptions StatusJson = new() { PropertyNameCaseInsensitive = true };

    /// <summary>The status of a serialized custom status, or null when there is none or it is not one the orchestrators wrote.</summary>
    public static RunStatus? Parse(string? serialized)
    {
        if (string.IsNullOrEmpty(serialized))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<RunStatus>(serialized, StatusJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
