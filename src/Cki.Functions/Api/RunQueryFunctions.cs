using System.Net;
using Cki.Workflow.Api;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Cki.Functions.Api;

/// <summary>
/// The read and terminate side of the HTTP API, over <see cref="RunQueries"/> as in the self-hosted host. Every error
/// answers with <c>{ "error": "..." }</c>. In Azure a function key (or App Service authentication in front) protects them.
/// </summary>
public sealed class RunQueryFunctions(WorkflowStorage storage, IJobDispatcher dispatcher, ILogger<RunQueryFunctions> logger)
{
    /// <summary>Name of the list function.</summary>
    public const string List = "ListRuns";

    /// <summary>Name of the status function.</summary>
    public const string Status = "GetRun";

    /// <summary>Name of the terminate function.</summary>
    public const string Terminate = "TerminateRun";

    /// <summary>
    /// <c>GET /api/runs?family=&amp;status=&amp;from=&amp;to=</c>: runs, newest first, with status, times, progress and
    /// failure reason; 400 naming a bad filter.
    /// </summary>
    [Function(List)]
    public Task<HttpResponseData> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs")] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpJson.AnswerAsync(request, logger, async () =>
        {
            var query = request.Query;
            var page = RunQueries.ParsePage(query["offset"], query["limit"]);
            var runs = await new RunQueries(client, storage).ListAsync(query["family"], query["status"],
                RunQueries.ParseTime(query["from"], "from"), RunQueries.ParseTime(query["to"], "to"), cancellationToken, page.Offset, page.Limit).ConfigureAwait(false);
            return await HttpJson.RespondAsync(request, HttpStatusCode.OK, runs, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary><c>GET /api/runs/{runId}</c>: the run with its progress, failure reason, job results and summary; 404 when unknown.</summary>
    [Function(Status)]
    public Task<HttpResponseData> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{runId}")] HttpRequestData request,
        string runId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpJson.AnswerAsync(request, logger, async () =>
            await HttpJson.RunViewAsync(request, runId, await new RunQueries(client, storage).GetAsync(runId, cancellationToken).ConfigureAwait(false), cancellationToken)
                .ConfigureAwait(false), cancellationToken);
    }

    /// <summary><c>POST /api/runs/{runId}/terminate</c>: 202 with what was stopped; 409 when it had ended or published; 404 when unknown.</summary>
    [Function(Terminate)]
    public Task<HttpResponseData> TerminateAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "runs/{runId}/terminate")] HttpRequestData request,
        string runId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpJson.AnswerAsync(request, logger, async () =>
        {
            var outcome = await new RunQueries(client, storage, dispatcher).TerminateAsync(runId, "terminated through the HTTP API", cancellationToken,
                $"POST /api/runs/{{runId}}/terminate (function key holder{(request.Headers.TryGetValues("X-Forwarded-For", out var from) ? $", from {string.Join(", ", from)}" : "")})")
                .ConfigureAwait(false);
            return ApiError.ForTermination(runId, outcome) is { } error
                ? await HttpJson.ErrorAsync(request, error, cancellationToken).ConfigureAwait(false)
                : await HttpJson.RespondAsync(request, HttpStatusCode.Accepted, outcome, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }
}
