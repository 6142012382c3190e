using Cki.Workflow.Dashboard;

namespace Cki.Host.Api;

/// <summary>
/// The dashboard at <c>/</c> (its script and style under <c>/dashboard/</c>): the page of
/// <see cref="DashboardAssets"/>, reading only the HTTP API. The page carries the API token in a <c>meta</c> tag and
/// sends it on its calls; it is served only to requests naming this host (see <see cref="RequestGuard"/>), and its
/// policy runs only its own files.
/// </summary>
public static class Dashboard
{
    /// <summary>Maps <c>GET /</c> and <c>GET /dashboard/{file}</c>.</summary>
    public static void Map(WebApplication app, ApiToken token)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(token);
        app.MapGet("/", (HttpContext context) =>
        {
            context.Response.Headers.ContentSecurityPolicy = DashboardAssets.Policy;
            return Results.Content(DashboardAssets.Page("/dashboard/", token.Value), "text/html; charset=utf-8");
        });
        app.MapGet("/dashboard/{file}", (string file, HttpContext context) =>
        {
            if (DashboardAssets.File(file) is not { } asset)
            {
                return Results.NotFound(new ApiResponses.ErrorBody($"no dashboard file '{file}'."));
            }

            context.Response.Headers.ContentSecurityPolicy = DashboardAssets.Policy;
            return Results.Content(asset.Content, asset.ContentType);
        });
    }
}
