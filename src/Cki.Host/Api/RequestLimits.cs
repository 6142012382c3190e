using Cki.Workflow.Api;

namespace Cki.Host.Api;

/// <summary>
/// The size limits of a request, answered by the API itself so that they carry the same JSON <c>{error}</c> body as every
/// other error: a request target over <see cref="MaxTargetBytes"/> is a 414, headers over <see cref="MaxHeaderBytes"/> a
/// 431. Kestrel's own limits are set above these (<see cref="Configure"/>), so that it hands such requests to this
/// middleware instead of answering them with an empty body; only requests beyond Kestrel's higher limits, or too
/// malformed to parse, still get Kestrel's bare answer.
/// </summary>
public static class RequestLimits
{
    /// <summary>The longest request target (path and query) the API reads.</summary>
    public const int MaxTargetBytes = 8 * 1024;

    /// <summary>The most header bytes (names and values) the API reads.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    // Kestrel answers by itself only beyond these.
    private const int KestrelFactor = 8;

    /// <summary>Sets Kestrel's limits above the API's.</summary>
    public static void Configure(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        kestrel.Limits.MaxRequestLineSize = MaxTargetBytes * KestrelFactor;
        kestrel.Limits.MaxRequestHeadersTotalSize = MaxHeaderBytes * KestrelFactor;
    }

    /// <summary>Adds the middleware; it must come first.</summary>
    public static void Use(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            var target = request.Path.Value?.Length + request.QueryString.Value?.Length ?? 0;
            var headers = request.Headers.Sum(h => h.Key.Length + h.Value.Sum(v => v?.Length ?? 0) + 4);
            if (target > MaxTargetBytes)
            {
                await ApiResponses.WriteAsync(context, new ApiError(414, $"the request target is {target} bytes, over the limit of {MaxTargetBytes}.")).ConfigureAwait(false);
                return;
            }

            if (headers > MaxHeaderBytes)
            {
                await ApiResponses.WriteAsync(context, new ApiError(431, $"the request headers are {headers} bytes, over the limit of {MaxHeaderBytes}.")).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
    }
}
