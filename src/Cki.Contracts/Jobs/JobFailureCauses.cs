namespace Cki.Contracts.Jobs;

/// <summary>The failures a job names by kind (<see cref="JobResult.Cause"/>), because the run reports them in its own words.</summary>
public static class JobFailureCauses
{
    /// <summary>An input blob was replaced during the run: the run fails with the job's one sentence, which names the input.</summary>
    public const string InputChanged = "input-changed";
}
