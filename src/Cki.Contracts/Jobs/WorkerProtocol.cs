using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cki.Contracts.Jobs;

/// <summary>
/// Writes and reads the lines of the job worker's protocol (<see cref="WorkerMessage"/>): snake_case JSON, one object
/// per line, every line bounded, every message checked for the fields its type needs.
/// </summary>
public static class WorkerProtocol
{
    /// <summary>The longest line either side writes or accepts, in bytes (without the LF).</summary>
    public const int MaxLineBytes = 64 << 10;

    /// <summary>
    /// The longest log line sent, in characters: escaped as JSON (at most six bytes a character) it still fits in a line.
    /// Longer lines are cut.
    /// </summary>
    public const int MaxLogChars = 8 << 10;

    // Quotes and non-ASCII letters as they are: the lines are read by a program and by people reading a pipe, never by a browser.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The message as one line, LF included.</summary>
    /// <exception cref="InvalidDataException">The line would be longer than <see cref="MaxLineBytes"/>.</exception>
    public static byte[] Line(WorkerMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var json = JsonSerializer.SerializeToUtf8Bytes(message, Options);
        if (json.Length > MaxLineBytes)
        {
            throw new InvalidDataException($"worker message '{message.Type}' of job '{message.Job}': {json.Length} bytes, over the line limit of {MaxLineBytes}.");
        }

        return [.. json, (byte)'\n'];
    }

    /// <summary>A log message, its text cut to <see cref="MaxLogChars"/>.</summary>
    public static WorkerMessage LogLine(string job, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new WorkerMessage { Type = WorkerMessage.Log, Job = job, Text = text.Length > MaxLogChars ? text[..MaxLogChars] + " [cut]" : text };
    }

    /// <summary>Reads one line (without its LF); a clear error saying what is wrong with it.</summary>
    /// <exception cref="InvalidDataException">Not JSON, an unknown type or field, or a field its type needs is missing.</exception>
    public static WorkerMessage Parse(ReadOnlySpan<byte> line)
    {
        if (line.Length > MaxLineBytes)
        {
            throw new InvalidDataException($"worker message: {line.Length} bytes, over the line limit of {MaxLineBytes}.");
        }

        WorkerMessage message;
        try
        {
            message = JsonSerializer.Deserialize<WorkerMessage>(line, Options) ?? throw new InvalidDataException("worker message: null is not a message.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"worker message: not a message object: {e.Message}", e);
        }

        var missing = message.Type switch
        {
            WorkerMessage.Run when string.IsNullOrWhiteSpace(message.Spec) => "spec",
            WorkerMessage.Run or WorkerMessage.Cancel or WorkerMessage.Started or WorkerMessage.Log or WorkerMessage.Ended when string.IsNullOrWhiteSpace(message.Job) => "job",
            WorkerMessage.Log or WorkerMessage.Error when message.Text is null => "text",
            WorkerMessage.Ended when message.ExitCode is null => "exit_code",
            WorkerMessage.Ready when message.ProcessId is null => "process_id",
            WorkerMessage.Run or WorkerMessage.Cancel or WorkerMessage.Started or WorkerMessage.Log or WorkerMessage.Ended or WorkerMessage.Error or WorkerMessage.Ready => null,
            _ => throw new InvalidDataException($"worker message: type '{message.Type}' is not one of run, cancel, ready, started, log, ended, error."),
        };
        return missing is null ? message : throw new InvalidDataException($"worker message '{message.Type}': the field '{missing}' is missing.");
    }
}
