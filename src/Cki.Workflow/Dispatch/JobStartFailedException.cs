namespace Cki.Workflow.Dispatch;

/// <summary>
/// The dispatcher could not start a job (for example the Kubernetes API server could not be reached after the
/// dispatcher's own retries, or refused the workflow's identity). The job tracker counts it as one failed attempt with
/// this message as its reason; it is not a transient step failure (<see cref="Orchestration.StepRetries"/> does not
/// run the start again as the same attempt).
/// </summary>
public sealed class JobStartFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JobStartFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public JobStartFailedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public JobStartFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
