using Cki.Workflow.Api;
using Microsoft.AspNetCore.WebUtilities;

namespace Cki.Host.Api;

/// <summary>
/// Every error of the host's HTTP endpoints answers with a JSON body: an exception becomes its <see cref="ApiError"/>
/// (never a stack trace, never an empty 500), and an error status set without a body (an unknown route, a method
/// not allowed) gets one naming the call.
/// </summary>
public static class ApiErrors
{
    /// <summary>Adds the middleware; it must come before the endpoints.</summary>
    public static void Use(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiErrors).FullName!);
        app.Use(async (context, next) =>
        {
            var call = $"{context.Request.Method} {context.Request.Path}";
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                var error = e is BadHttpRequestException bad ? new ApiError(bad.StatusCode, bad.Message) : ApiError.From(e, call);
                if (error.IsFault)
                {
                    ApiLog.Fault(logger, call, error.Status, error.Message, e);
                }
                else
                {
                    ApiLog.Rejected(logger, call, error.Status, error.Message);
                }

                context.Response.Clear();
                await ApiResponses.WriteAsync(context, error).ConfigureAwait(false);
                return;
            }

            var response = context.Response;
            if (response.StatusCode >= 400 && !response.HasStarted && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType))
            {
                await ApiResponses.WriteAsync(context, new ApiError(response.StatusCode, $"{ReasonPhrases.GetReasonPhrase(response.StatusCode)}: {call}")).ConfigureAwait(false);
            }
        });
    }
}
