using Cki.Host.Configuration;
using Cki.Workflow.Api;
using Cki.Workflow.Triggers;

namespace Cki.Host.Api;

/// <summary>
/// The HTTP API on 127.0.0.1, the same as the Functions app's: start, list, status with history, terminate. Every
/// response carries the security headers, every error a JSON body, and requests pass the guard first (Host header,
/// and for state-changing calls the Origin header and the API token).
/// </summary>
public static class RunApi
{
    /// <summary>Adds the API's middleware and maps the endpoints under <c>/api</c> and the dashboard at <c>/</c>.</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var token = ApiToken.LoadOrCreate(app.Services.GetRequiredService<CkiHostOptions>().ApiTokenFile);
        SecurityHeaders.Use(app);
        RequestLimits.Use(app);
        ApiErrors.Use(app);
        RequestGuard.Use(app, token);
        app.MapGet("/api/health", () => "ok");
        Dashboard.Map(app, token);
        app.MapPost("/api/runs/{family}", async (string family, RunStarter starter, CancellationToken cancellationToken) =>
        {
            var outcome = await starter.StartAsync(family, "http", evenIfIncomplete: true, cancellationToken).ConfigureAwait(false);
            return outcome.RunId is null
                ? Results.NotFound(new { error = outcome.Detail, outcome.Family, outcome.RunId, outcome.Started, outcome.Detail })
                : outcome.Started ? Results.Accepted($"/api/runs/{Uri.EscapeDataString(outcome.RunId)}", outcome) : Results.Ok(outcome);
        });
        app.MapGet("/api/runs", async (string? family, string? status, string? from, string? to, string? offset, string? limit, RunQueries queries,
            CancellationToken cancellationToken) =>
        {
            var page = RunQueries.ParsePage(offset, limit);
            return Results.Ok(await queries.ListAsync(family, status, RunQueries.ParseTime(from, nameof(from)), RunQueries.ParseTime(to, nameof(to)), cancellationToken,
                page.Offset, page.Limit).ConfigureAwait(false));
        });
        app.MapGet("/api/runs/{runId}", async (string runId, RunQueries queries, CancellationToken cancellationToken) =>
            await queries.GetAsync(runId, cancellationToken).ConfigureAwait(false) is { } detail ? Results.Ok(detail) : ApiResponses.Error(ApiError.UnknownRun(runId)));
        app.MapGet("/api/runs/{runId}/timeline", async (string runId, RunQueries queries, CancellationToken cancellationToken) =>
            await queries.TimelineAsync(runId, cancellationToken).ConfigureAwait(false) is { } timeline ? Results.Ok(timeline) : ApiResponses.Error(ApiError.UnknownRun(runId)));
        app.MapGet("/api/runs/{runId}/compatibility", async (string runId, RunQueries queries, CancellationToken cancellationToken) =>
            await queries.CompatibilityAsync(runId, cancellationToken).ConfigureAwait(false) is { } compatibility
                ? Results.Ok(compatibility) : ApiResponses.Error(ApiError.UnknownRun(runId)));
        app.MapGet("/api/runs/{runId}/outputs/{file}", async (string runId, string file, RunQueries queries, CancellationToken cancellationToken) =>
            await queries.OutputAsync(runId, file, cancellationToken).ConfigureAwait(false) is { } output
                ? Results.Stream(output.Content, output.ContentType) : ApiResponses.Error(new ApiError(404, $"run '{runId}' has no output '{file}'.")));
        app.MapPost("/api/runs/{runId}/terminate", async (string runId, HttpContext http, RunQueries queries, CancellationToken cancellationToken) =>
            await queries.TerminateAsync(runId, "terminated through the HTTP API", cancellationToken,
                $"POST /api/runs/{{runId}}/terminate from {http.Connection.RemoteIpAddress} (API token holder)").ConfigureAwait(false) is var outcome
                && ApiError.ForTermination(runId, outcome) is { } error ? ApiResponses.Error(error) : Results.Accepted(value: outcome));
    }
}
