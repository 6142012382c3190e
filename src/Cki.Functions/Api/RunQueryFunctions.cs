using System.Globalization;
using System.Net;
using Cki.Workflow.Api;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;

namespace Cki.Functions.Api;

/// <summary>The read and terminate side of the HTTP API, over <see cref="RunQueries"/> as in the self-hosted host.</summary>
public sealed class RunQueryFunctions(WorkflowStorage storage, IJobDispatcher dispatcher)
{
    /// <summary>Name of the list function.</summary>
    public const string List = "ListRuns";

    /// <summary>Name of the status function.</summary>
    public const string Status = "GetRun";

    /// <summary>Name of the terminate function.</summary>
    public const string Terminate = "TerminateRun";

    /// <summary>
    /// <c>GET /api/runs?family=&amp;status=&amp;from=&amp;to=</c>: runs, newest first, with status, times and progress;
    /// 400 naming a bad filter.
    /// </summary>
    [Function(List)]
    public async Task<HttpResponseData> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs")] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.Query;
        try
        {
            var runs = await new RunQueries(client, storage).ListAsync(Filter(query["family"]), Filter(query["status"]),
                Time(query["from"], "from"), Time(query["to"], "to"), cancellationToken).ConfigureAwait(false);
            return await HttpJson.RespondAsync(request, HttpStatusCode.OK, runs, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            return await HttpJson.BadRequestAsync(request, e.Message, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary><c>GET /api/runs/{runId}</c>: the run with its custom status, failure, job results and summary; 404 when unknown.</summary>
    [Function(Status)]
    public async Task<HttpResponseData> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{runId}")] HttpRequestData request,
        string runId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var detail = await new RunQueries(client, storage).GetAsync(runId, cancellationToken).ConfigureAwait(false);
        return await HttpJson.RespondAsync(request, detail is null ? HttpStatusCode.NotFound : HttpStatusCode.OK, detail, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>POST /api/runs/{runId}/terminate</c>: 202 when the run was asked to stop; 404 when unknown.</summary>
    [Function(Terminate)]
    public async Task<HttpResponseData> TerminateAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "runs/{runId}/terminate")] HttpRequestData request,
        string runId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var terminated = await new RunQueries(client, storage, dispatcher).TerminateAsync(runId, "terminated through the HTTP API", cancellationToken).ConfigureAwait(false);
        return await HttpJson.RespondAsync(request, terminated ? HttpStatusCode.Accepted : HttpStatusCode.NotFound, null, cancellationToken).ConfigureAwait(false);
    }

    private static string? Filter(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static DateTimeOffset? Time(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? null
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time
        : throw new ArgumentException($"{name}: '{value}' is not a date and time (ISO 8601, e.g. 2025-01-31T00:00:00Z).", name);
}
