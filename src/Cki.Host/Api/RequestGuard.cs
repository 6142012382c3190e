using Cki.Workflow.Api;

namespace Cki.Host.Api;

/// <summary>
/// The local API's guard, before any endpoint: the <c>Host</c> header must name this host's loopback address and
/// port (a page of another site that got its name to resolve to 127.0.0.1, DNS rebinding, is refused and never
/// sees the dashboard or the run list); a state-changing call must come from no page or from this host's own
/// pages (<c>Origin</c>) and carry the API token.
/// </summary>
public static class RequestGuard
{
    private static readonly string[] LoopbackNames = ["127.0.0.1", "localhost", "[::1]"];

    /// <summary>Adds the guard; it must come before the endpoints.</summary>
    public static void Use(WebApplication app, ApiToken token)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(token);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestGuard).FullName!);
        app.Use(async (context, next) =>
        {
            if (Check(context.Request, context.Connection.LocalPort, token) is { } refusal)
            {
                ApiLog.Refused(logger, $"{context.Request.Method} {context.Request.Path}", refusal.Status, refusal.Message);
                if (refusal.Status == StatusCodes.Status401Unauthorized)
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer realm=\"cki-host\"";
                }

                await ApiResponses.WriteAsync(context, refusal).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
    }

    /// <summary>Why <paramref name="request"/>, received on <paramref name="port"/>, is refused; null when it may pass.</summary>
    public static ApiError? Check(HttpRequest request, int port, ApiToken token)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(token);
        var host = request.Host;
        var hostPort = host.Port ?? (request.IsHttps ? 443 : 80);
        if (!host.HasValue || hostPort != port || !LoopbackNames.Contains(host.Host, StringComparer.OrdinalIgnoreCase))
        {
            return new ApiError(StatusCodes.Status421MisdirectedRequest,
                $"Host '{host}' is not this host: call it as 127.0.0.1:{port}, localhost:{port} or [::1]:{port}.");
        }

        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            return null;
        }

        var own = $"{request.Scheme}://{host}";
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, own, StringComparison.OrdinalIgnoreCase))
        {
            return new ApiError(StatusCodes.Status403Forbidden, $"Origin '{origin}' may not change runs: only pages of {own} may.");
        }

        return token.Matches(request.Headers.Authorization.ToString()) ? null
            : new ApiError(StatusCodes.Status401Unauthorized,
                $"{request.Method} changes runs: send the API token as 'Authorization: Bearer <token>' (cki-host keeps it in its ApiTokenFile setting's file).");
    }
}
