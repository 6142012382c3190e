using Microsoft.Extensions.Logging;

namespace Cki.Workflow.Dispatch;

/// <summary>The local dispatcher's log lines about its warm workers (event ids 260-269).</summary>
internal static partial class WorkerLog
{
    /// <summary>A worker process started.</summary>
    [LoggerMessage(EventId = 260, Level = LogLevel.Information, Message = "job worker started as pid {Pid}")]
    public static partial void Started(ILogger logger, int pid);

    /// <summary>A worker process ended.</summary>
    [LoggerMessage(EventId = 261, Level = LogLevel.Information, Message = "job worker pid {Pid} exited with code {ExitCode}")]
    public static partial void Exited(ILogger logger, int pid, int exitCode);

    /// <summary>A worker said something it should not, or refused a message.</summary>
    [LoggerMessage(EventId = 262, Level = LogLevel.Warning, Message = "job worker pid {Pid}: {Problem}")]
    public static partial void Protocol(ILogger logger, int pid, string problem);

    /// <summary>A worker wrote to stderr while it had no job.</summary>
    [LoggerMessage(EventId = 263, Level = LogLevel.Debug, Message = "job worker pid {Pid}: {Line}")]
    public static partial void Said(ILogger logger, int pid, string line);

    /// <summary>A worker did not stop its job when asked and was killed.</summary>
    [LoggerMessage(EventId = 264, Level = LogLevel.Warning, Message = "job worker pid {Pid} killed: job {Job} did not stop within {Seconds:F0} s of its cancel")]
    public static partial void KilledStuck(ILogger logger, int pid, string job, double seconds);
}
