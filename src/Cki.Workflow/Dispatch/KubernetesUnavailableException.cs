namespace Cki.Workflow.Dispatch;

/// <summary>
/// The Kubernetes API server stayed unavailable through the dispatcher's retries (<see cref="KubernetesRetryHandler"/>):
/// it throttled (429), failed (5xx), did not answer in time, or could not be reached. Transient: the workflow's retry
/// policy (<see cref="Orchestration.StepRetries"/>) runs the step again later instead of failing the run.
/// </summary>
public sealed class KubernetesUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KubernetesUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public KubernetesUnavailableException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public KubernetesUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
