using Microsoft.Extensions.Logging;

namespace Cki.Workflow.Logging;

/// <summary>The workflow's log lines: source-generated, stable event ids, the run and job id on every line.</summary>
public static partial class WorkflowLog
{
    /// <summary>A run was started.</summary>
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "[run {RunId}] started for family {Family} by {Trigger}")]
    public static partial void RunStarted(ILogger logger, string runId, string family, string trigger);

    /// <summary>A trigger found a run for this input set already.</summary>
    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "[run {RunId}] already exists for family {Family}; {Trigger} starts nothing")]
    public static partial void RunExists(ILogger logger, string runId, string family, string trigger);

    /// <summary>A family is not ready for a run.</summary>
    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "[family {Family}] not ready: {Reason}")]
    public static partial void FamilyNotReady(ILogger logger, string family, string reason);

    /// <summary>The nightly pass could not start a family; the other families still get theirs.</summary>
    [LoggerMessage(EventId = 109, Level = LogLevel.Warning, Message = "[family {Family}] nightly pass could not start it: {Reason}")]
    public static partial void NightlyFamilyFailed(ILogger logger, string family, string reason);

    /// <summary>A job process started.</summary>
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "[run {RunId} job {JobId}] attempt {Attempt} started as pid {Pid}")]
    public static partial void JobStarted(ILogger logger, string runId, string jobId, int attempt, int pid);

    /// <summary>A job process exited.</summary>
    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "[run {RunId} job {JobId}] attempt {Attempt} exited with code {ExitCode} after {Seconds:F1} s")]
    public static partial void JobExited(ILogger logger, string runId, string jobId, int attempt, int exitCode, double seconds);

    /// <summary>A job ran past its timeout.</summary>
    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "[run {RunId} job {JobId}] stopped: running past its timeout of {Seconds:F0} s")]
    public static partial void JobTimedOut(ILogger logger, string runId, string jobId, double seconds);

    /// <summary>A job process could not start.</summary>
    [LoggerMessage(EventId = 203, Level = LogLevel.Error, Message = "[run {RunId} job {JobId}] could not start: {Reason}")]
    public static partial void JobCouldNotStart(ILogger logger, string runId, string jobId, string reason);

    /// <summary>A job's result was reported to its run.</summary>
    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "[run {RunId} job {JobId}] result reported ({Outcome})")]
    public static partial void JobResultRaised(ILogger logger, string runId, string jobId, string outcome);

    /// <summary>A job's spec was written and the job handed to the dispatcher.</summary>
    [LoggerMessage(EventId = 205, Level = LogLevel.Information, Message = "[run {RunId} job {JobId}] dispatched (attempt {Attempt})")]
    public static partial void JobDispatched(ILogger logger, string runId, string jobId, int attempt);

    /// <summary>The dispatcher could not start a job: the attempt fails with the reason.</summary>
    [LoggerMessage(EventId = 206, Level = LogLevel.Warning, Message = "[run {RunId} job {JobId}] attempt {Attempt} not started: {Reason}")]
    public static partial void JobStartFailed(ILogger logger, string runId, string jobId, int attempt, string reason);

    /// <summary>A run published its outputs.</summary>
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "[run {RunId}] published integrated/{Family}/latest.json")]
    public static partial void Published(ILogger logger, string runId, string family);

    /// <summary>A run failed.</summary>
    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "[run {RunId}] failed: {Reason}")]
    public static partial void RunFailed(ILogger logger, string runId, string reason);

    /// <summary>A failed run's jobs were stopped and its partial outputs removed.</summary>
    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "[run {RunId}] failed: stopped {JobsStopped} job(s), removed {OutputsRemoved} partial output(s)")]
    public static partial void FailedRunStopped(ILogger logger, string runId, int jobsStopped, int outputsRemoved);
}
