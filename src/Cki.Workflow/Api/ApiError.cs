using Azure;
using Cki.Contracts.Checkpoints;
using Cki.Contracts.Manifests;
using Cki.Workflow.Termination;

namespace Cki.Workflow.Api;

/// <summary>
/// An error answer of the HTTP API, the same in both hosts: a status and the message of the body
/// <c>{ "error": "..." }</c>. Never a stack trace: a fault names the call and what failed, the log has the rest.
/// </summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Message">The <c>error</c> of the body.</param>
public sealed record ApiError(int Status, string Message)
{
    /// <summary>Whether this is a fault of the service (5xx) rather than of the request or the stored input (4xx).</summary>
    public bool IsFault => Status >= 500;

    /// <summary>
    /// The answer to <paramref name="exception"/> thrown by <paramref name="call"/> (e.g. <c>POST /api/runs/x</c>):
    /// 400 for a bad argument (a filter, a family name), 404 for a missing blob, 422 for a stored document that
    /// cannot be used (over its size limit, malformed), 500 for anything else, naming the call and the failure.
    /// </summary>
    public static ApiError From(Exception exception, string call)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            ArgumentException => new ApiError(400, exception.Message),
            FileNotFoundException => new ApiError(404, exception.Message),
            InvalidDataException or ManifestException or CheckpointFormatException => new ApiError(422, exception.Message),
            RequestFailedException storage => new ApiError(500, $"{call} failed: storage answered {storage.Status} ({storage.ErrorCode ?? "no error code"}): {FirstLine(storage.Message)}"),
            _ => new ApiError(500, $"{call} failed: {FirstLine(exception.Message)}"),
        };
    }

    /// <summary>404 for a run id that no run has.</summary>
    public static ApiError UnknownRun(string runId) => new(404, $"no run '{runId}'.");

    /// <summary>
    /// The error of a terminate call, or null when the run was terminated: 404 for an unknown run, 409 for one that
    /// had ended or published before the call came (nothing was terminated; a published run stays published).
    /// </summary>
    public static ApiError? ForTermination(string runId, TerminationOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return !outcome.Found ? UnknownRun(runId)
            : outcome.Terminated ? null
            : new ApiError(409, $"run '{runId}' had already ended or published: nothing was terminated.");
    }

    // Storage and gRPC errors append their response details on further lines.
    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
