using System.Net;
using Cki.Workflow.Dashboard;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Cki.Functions.Api;

/// <summary>
/// The dashboard of <see cref="DashboardAssets"/> at <c>/api/dashboard</c>, its script and style under
/// <c>/api/dashboard/</c>. The page and its files are anonymous: they hold no data and no key. Open it as
/// <c>/api/dashboard?code={function key}</c>: the page sends that key on its API calls, which need it.
/// </summary>
public static class DashboardFunctions
{
    /// <summary><c>GET /api/dashboard</c>: the page.</summary>
    [Function("Dashboard")]
    public static async Task<HttpResponseData> PageAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await RespondAsync(request, DashboardAssets.Page("/api/dashboard/", token: ""), "text/html; charset=utf-8", cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/dashboard/{file}</c>: the page's script or style; 404 for any other name.</summary>
    [Function("DashboardFile")]
    public static async Task<HttpResponseData> FileAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/{file}")] HttpRequestData request,
        string file,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return DashboardAssets.File(file) is { } asset
            ? await RespondAsync(request, asset.Content, asset.ContentType, cancellationToken).ConfigureAwait(false)
            : await HttpJson.ErrorAsync(request, new Workflow.Api.ApiError(404, $"no dashboard file '{file}'."), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<HttpResponseData> RespondAsync(HttpRequestData request, string content, string contentType, CancellationToken cancellationToken)
    {
        var response = request.CreateResponse(HttpStatusCode.OK);
        response.Headers.Add("Content-Type", contentType);
        response.Headers.Add("Content-Security-Policy", DashboardAssets.Policy);
        response.Headers.Add("X-Content-Type-Options", "nosniff");
        response.Headers.Add("X-Frame-Options", "DENY");
        response.Headers.Add("Referrer-Policy", "no-referrer");
        await response.WriteStringAsync(content, cancellationToken).ConfigureAwait(false);
        return response;
    }
}
