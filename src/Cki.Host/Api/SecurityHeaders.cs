namespace Cki.Host.Api;

/// <summary>
/// Headers on every response: no MIME sniffing, no framing, no referrer, nothing cached (the API's JSON and the
/// dashboard, which carries the API token), and a content security policy that allows nothing unless the response
/// sets its own (the dashboard does).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The policy of every response that does not set one.</summary>
    public const string DefaultPolicy = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>Adds the headers to every response, error answers included; it must come first.</summary>
    public static void Use(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use((context, next) =>
        {
            var response = context.Response;
            response.OnStarting(() =>
            {
                var headers = response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers.CacheControl = "no-store";
                if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
                {
                    headers.ContentSecurityPolicy = DefaultPolicy;
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
