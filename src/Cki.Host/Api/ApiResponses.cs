using Cki.Workflow.Api;

namespace Cki.Host.Api;

/// <summary>The API's error answers: the status and <c>{ "error": "..." }</c>, written by endpoints and middleware alike.</summary>
public static class ApiResponses
{
    /// <summary>An endpoint's result for <paramref name="error"/>.</summary>
    public static IResult Error(ApiError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Results.Json(new ErrorBody(error.Message), statusCode: error.Status);
    }

    /// <summary>Writes <paramref name="error"/> as the response (which must not have started).</summary>
    public static Task WriteAsync(HttpContext context, ApiError error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        context.Response.StatusCode = error.Status;
        return context.Response.WriteAsJsonAsync(new ErrorBody(error.Message), context.RequestAborted);
    }

    /// <summary>The body of every error answer.</summary>
    /// <param name="Error">What went wrong.</param>
    public sealed record ErrorBody(string Error);
}
