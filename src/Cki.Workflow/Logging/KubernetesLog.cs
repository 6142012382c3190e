using Microsoft.Extensions.Logging;

namespace Cki.Workflow.Logging;

/// <summary>The kubernetes dispatcher's log lines (event ids 250-259).</summary>
public static partial class KubernetesLog
{
    /// <summary>A Job was created for an attempt.</summary>
    [LoggerMessage(EventId = 250, Level = LogLevel.Information, Message = "[run {RunId} job {JobId}] attempt {Attempt} created as Kubernetes Job {Name}")]
    public static partial void JobCreated(ILogger logger, string runId, string jobId, int attempt, string name);

    /// <summary>The attempt's Job existed already (the start ran again) and is followed as it is.</summary>
    [LoggerMessage(EventId = 251, Level = LogLevel.Information, Message = "[run {RunId} job {JobId}] attempt {Attempt}: Kubernetes Job {Name} exists already; adopted")]
    public static partial void JobAdopted(ILogger logger, string runId, string jobId, int attempt, string name);

    /// <summary>A run's Jobs were deleted.</summary>
    [LoggerMessage(EventId = 252, Level = LogLevel.Information, Message = "[run {RunId}] deleted its {Count} Kubernetes Jobs ({Active} still active)")]
    public static partial void RunCancelled(ILogger logger, string runId, int count, int active);

    /// <summary>A call to the API server was throttled, failed or got no answer, and is tried again after a wait.</summary>
    [LoggerMessage(EventId = 253, Level = LogLevel.Warning, Message = "Kubernetes API call failed (try {Attempt}): {Reason}; trying again in {DelaySeconds} s")]
    public static partial void CallRetried(ILogger logger, int attempt, double delaySeconds, string reason);

    /// <summary>A suspended Job was resumed under the jobs-in-flight cap.</summary>
    [LoggerMessage(EventId = 254, Level = LogLevel.Information, Message = "Kubernetes Job {Name} admitted: {InFlight} of {Cap} CKI Jobs in flight")]
    public static partial void JobAdmitted(ILogger logger, string name, int inFlight, int cap);
}
