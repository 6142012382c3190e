using System.Net;
using Cki.Workflow.Api;
using Cki.Workflow.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Cki.Functions.Api;

/// <summary>
/// What the dashboard reads of a run beyond its status, over <see cref="RunQueries"/> as in the self-hosted host: its
/// timeline from the orchestration history, its compatibility shares and heatmaps, and the files of its output folder.
/// </summary>
public sealed class RunViewFunctions(WorkflowStorage storage, ILogger<RunViewFunctions> logger)
{
    /// <summary><c>GET /api/runs/{runId}/timeline</c>: every step run and job attempt; 404 when unknown.</summary>
    [Function("GetRunTimeline")]
    public Task<HttpResponseData> TimelineAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{runId}/timeline")] HttpRequestData request,
        string runId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpJson.AnswerAsync(request, logger, async () =>
            await HttpJson.RunViewAsync(request, runId, await new RunQueries(client, storage).TimelineAsync(runId, cancellationToken).ConfigureAwait(false), cancellationToken)
                .ConfigureAwait(false), cancellationToken);
    }

    /// <summary><c>GET /api/runs/{runId}/compatibility</c>: per spliced tensor each model's share and a heatmap; 404 when unknown.</summary>
    [Function("GetRunCompatibility")]
    public Task<HttpResponseData> CompatibilityAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{runId}/compatibility")] HttpRequestData request,
        string runId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpJson.AnswerAsync(request, logger, async () =>
            await HttpJson.RunViewAsync(request, runId, await new RunQueries(client, storage).CompatibilityAsync(runId, cancellationToken).ConfigureAwait(false), cancellationToken)
                .ConfigureAwait(false), cancellationToken);
    }

    /// <summary><c>GET /api/runs/{runId}/outputs/{file}</c>: a file of the run's output folder (report, model card, plots); 404 when absent.</summary>
    [Function("GetRunOutput")]
    public Task<HttpResponseData> OutputAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{runId}/outputs/{file}")] HttpRequestData request,
        string runId,
        string file,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpJson.AnswerAsync(request, logger, async () =>
        {
            if (await new RunQueries(client, storage).OutputAsync(runId, file, cancellationToken).ConfigureAwait(false) is not { } output)
            {
                return await HttpJson.ErrorAsync(request, new ApiError(404, $"run '{runId}' has no output '{file}'."), cancellationToken).ConfigureAwait(false);
            }

            var response = request.CreateResponse(HttpStatusCode.OK);
            response.Headers.Add("Content-Type", output.ContentType);
            response.Headers.Add("X-Content-Type-Options", "nosniff");
            response.Headers.Add("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
            await using (output.Content.ConfigureAwait(false))
            {
                await output.Content.CopyToAsync(response.Body, cancellationToken).ConfigureAwait(false);
            }

            return response;
        }, cancellationToken);
    }
}
