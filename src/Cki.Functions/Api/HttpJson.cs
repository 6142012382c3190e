using System.Net;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker.Http;

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

    /// <summary>400 with <c>{ "error": message }</c>.</summary>
    public static Task<HttpResponseData> BadRequestAsync(HttpRequestData request, string message, CancellationToken cancellationToken) =>
        RespondAsync(request, HttpStatusCode.BadRequest, new { error = message }, cancellationToken);
}
