using System.Net;
using Cki.Workflow.Api;
using Cki.Workflow.Runs;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Cki.Functions.Api;

/// <summary><c>GET /api/families</c>, over <see cref="FamilyQueries"/> as in the self-hosted host.</summary>
public sealed class FamilyFunctions(InputResolver resolver)
{
    /// <summary>The function's name.</summary>
    public const string List = "ListFamilies";

    /// <summary>Every family with a manifest: ready, settled, and why not (naming the source and the missing file).</summary>
    [Function(List)]
    public async Task<HttpResponseData> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "families")] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        var families = await new FamilyQueries(resolver, client).ListAsync(cancellationToken).ConfigureAwait(false);
        return await HttpJson.RespondAsync(request, HttpStatusCode.OK, families, cancellationToken).ConfigureAwait(false);
    }
}
