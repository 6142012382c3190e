namespace Cki.Workflow.Orchestration;

/// <summary>The external event that reports a job's result to its run.</summary>
public static class JobEvents
{
    /// <summary><c>job:{jobId}</c>.</summary>
    public static string Name(string jobId) => $"job:{jobId}";
}
