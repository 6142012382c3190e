using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Cki.Functions;

/// <summary>Liveness probe of the Functions app.</summary>
public static class HealthFunction
{
    /// <summary><c>GET /api/health</c>: 200 with <c>ok</c> while the worker runs.</summary>
    [Function("Health")]
    public static HttpResponseData Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequestData request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = request.CreateResponse(HttpStatusCode.OK);
        response.WriteString("ok");
        return response;
    }
}
