using System.Net;
using System.Text.Json;
using Cki.Workflow.Api;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Logging;

namespace Cki.Functions.Api;

/// <summary>JSON responses of the HTTP API, in the web defaults (camelCase) the self-hosted host's API also uses.</summary>
public static class HttpJson
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>A response with <paramref name="status"/> and <paramref name="body"/> as JSON.</summary>
    public static async Task<HttpResponseData> RespondAsync(HttpRequestData request, HttpStatusCode status, object? body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = request.CreateResponse(status);
        if (body is not null)
        {
            response.Headers.Add("Content-Type", "application/json; charset=utf-8");
            await response.WriteBytesAsync(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), Web), cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    /// <summary><paramref name="error"/>'s status with <c>{ "error": message }</c>.</summary>
    public static Task<HttpResponseData> ErrorAsync(HttpRequestData request, ApiError error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        return RespondAsync(request, (HttpStatusCode)error.Status, new { error = error.Message }, cancellationToken);
    }

    /// <summary>200 with <paramref name="view"/>, or 404 naming <paramref name="runId"/> when there is no such run (null).</summary>
    public static async Task<HttpResponseData> RunViewAsync(HttpRequestData request, string runId, object? view, CancellationToken cancellationToken) =>
        view is not null
            ? await RespondAsync(request, HttpStatusCode.OK, view, cancellationToken).ConfigureAwait(false)
            : await ErrorAsync(request, ApiError.UnknownRun(runId), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Runs a function's <paramref name="body"/>; whatever it throws becomes its <see cref="ApiError"/> answer (a JSON
    /// body with a fitting status, never an empty 500 or a stack trace), logged with the exception when it is a fault.
    /// </summary>
    public static async Task<HttpResponseData> AnswerAsync(HttpRequestData request, ILogger logger, Func<Task<HttpResponseData>> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var call = $"{request.Method.ToUpperInvariant()} {request.Url.AbsolutePath}";
            var error = ApiError.From(e, call);
            if (error.IsFault)
            {
                ApiLog.Fault(logger, call, error.Status, error.Message, e);
            }
            else
            {
                ApiLog.Rejected(logger, call, error.Status, error.Message);
            }

            return await ErrorAsync(request, error, cancellationToken).ConfigureAwait(false);
        }
    }
}
