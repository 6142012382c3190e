namespace Cki.Host.Api;

/// <summary>The HTTP API's log lines: source-generated, stable event ids.</summary>
public static partial class ApiLog
{
    /// <summary>A call failed with a fault of the host (answered 5xx): the exception with its stack goes to the log only.</summary>
    [LoggerMessage(EventId = 500, Level = LogLevel.Error, Message = "{Call} failed ({Status}): {Error}")]
    public static partial void Fault(ILogger logger, string call, int status, string error, Exception exception);

    /// <summary>A call was answered with a client error (4xx) from an exception.</summary>
    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "{Call} rejected ({Status}): {Error}")]
    public static partial void Rejected(ILogger logger, string call, int status, string error);

    /// <summary>A request was refused by the guard (Host, Origin or token).</summary>
    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "{Call} refused ({Status}): {Error}")]
    public static partial void Refused(ILogger logger, string call, int status, string error);
}
