using System.Net;
using Cki.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Cki.Functions.Api;

/// <summary><c>POST /api/runs/{family}</c>: starts a run of the family's current inputs (a function key protects it in Azure).</summary>
public sealed class StartRunFunction(RunStarterFactory starters, ILogger<StartRunFunction> logger)
{
    /// <summary>The function's name.</summary>
    public const string Name = "StartRun";

    /// <summary>
    /// 202 with the run id (and <c>Location</c>) when started; 200 when a run of these inputs exists already;
    /// 404 when the family has no manifest; 400 for a bad family name, 422 for a manifest that cannot be read (e.g.
    /// over its size limit). An incomplete family still starts, so that validation names what is missing.
    /// </summary>
    [Function(Name)]
    public Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "runs/{family}")] HttpRequestData request,
        string family,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpJson.AnswerAsync(request, logger, async () =>
        {
            var outcome = await starters.Create(client).StartAsync(family, "http", evenIfIncomplete: true, cancellationToken).ConfigureAwait(false);
            if (outcome.RunId is null)
            {
                return await HttpJson.RespondAsync(request, HttpStatusCode.NotFound,
                    new { error = outcome.Detail, outcome.Family, outcome.RunId, outcome.Started, outcome.Detail }, cancellationToken).ConfigureAwait(false);
            }

            var response = await HttpJson.RespondAsync(request, outcome.Started ? HttpStatusCode.Accepted : HttpStatusCode.OK, outcome, cancellationToken).ConfigureAwait(false);
            response.Headers.Add("Location", $"/api/runs/{Uri.EscapeDataString(outcome.RunId)}");
            return response;
        }, cancellationToken);
    }
}
