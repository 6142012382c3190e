using Cki.Workflow.Api;
using Cki.Workflow.Runs;
using Microsoft.DurableTask.Client;

namespace Cki.Host.Api;

/// <summary><c>GET /api/families</c>, the same as the Functions app's: every family with a manifest, ready or why not.</summary>
public static class FamilyApi
{
    /// <summary>Maps the endpoint.</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/families", async (InputResolver resolver, DurableTaskClient client, CancellationToken cancellationToken) =>
            Results.Ok(await new FamilyQueries(resolver, client).ListAsync(cancellationToken).ConfigureAwait(false)));
    }
}
