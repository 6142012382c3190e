using Microsoft.Extensions.Logging;

namespace Cki.Functions.Api;

/// <summary>The HTTP functions' log lines: source-generated, stable event ids (as the self-hosted host's API).</summary>
public static partial class ApiLog
{
    /// <summary>A call failed with a fault (answered 5xx): the exception with its stack goes to the log only.</summary>
    [LoggerMessage(EventId = 500, Level = LogLevel.Error, Message = "{Call} failed ({Status}): {Error}")]
    public static partial void Fault(ILogger logger, string call, int status, string error, Exception exception);

    /// <summary>A call was answered with a client error (4xx) from an exception.</summary>
    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "{Call} rejected ({Status}): {Error}")]
    public static partial void Rejected(ILogger logger, string call, int status, string error);
}
