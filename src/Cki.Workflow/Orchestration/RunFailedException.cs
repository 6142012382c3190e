namespace Cki.Workflow.Orchestration;

/// <summary>A run failed for a reason a user reads in its status and summary (a job's error, a validation error).</summary>
public sealed class RunFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RunFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public RunFailedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public RunFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
