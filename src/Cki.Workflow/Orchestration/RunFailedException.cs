using Microsoft.DurableTask;

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

    /// <summary>The reason a user reads for a failure the orchestrators catch: an activity's error message, or this exception's.</summary>
    public static string ReasonOf(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure is TaskFailedException failed ? failed.FailureDetails.ErrorMessage : failure.Message;
    }
}
