using System.Net;
using System.Text;
using Cki.Contracts.Storage;
using Cki.Functions.Api;
using Cki.Functions.Tests.Orchestration;
using Cki.Testing;
using Cki.Testing.Builders;
using Cki.Testing.Durable;
using Cki.Workflow.Messages;
using Cki.Workflow.Orchestration;
using Cki.Workflow.Runs;
using Cki.Workflow.Storage;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace Cki.Functions.Tests.Api;

/// <summary>
/// The HTTP functions' bodies, built from the worker's container with storage on a real Azurite, called with
/// stand-in requests and the recording Durable client: the Functions host, which would bind both, cannot run here.
/// </summary>
public sealed class HttpFunctionsTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task ListAsync_StatusBogus_Returns400NamingTheAcceptedStatuses()
    {
        using var services = await ServicesAsync();
        var client = new FakeDurableClient();

        var response = Response(await Queries(services).ListAsync(Get("runs?status=bogus"), client, CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = response.Json().GetProperty("error").GetString()!;
        Assert.Contains("'bogus'", error, StringComparison.Ordinal);
        foreach (var status in new[] { "Running", "Completed", "ContinuedAsNew", "Failed", "Canceled", "Terminated", "Pending", "Suspended" })
        {
            Assert.Contains(status, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ListAsync_FamilyFilter_Returns200ListingOnlyThatFamilysRuns()
    {
        using var services = await ServicesAsync();
        var client = new FakeDurableClient();
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(IntegrationOrchestrator), null, new StartOrchestrationOptions("lst-0123456789abcdef"));
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(IntegrationOrchestrator), null, new StartOrchestrationOptions("other-0123456789abcdef"));

        var response = Response(await Queries(services).ListAsync(Get("runs?family=lst&status=pending"), client, CancellationToken.None));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var run = Assert.Single(response.Json().EnumerateArray());
        Assert.Equal("lst-0123456789abcdef", run.GetProperty("runId").GetString());
        Assert.Equal("lst", run.GetProperty("family").GetString());
        Assert.Equal("Pending", run.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ListAsync_FamilyThatPrefixesAnother_Returns200ListingOnlyItsOwnRuns()
    {
        using var services = await ServicesAsync();
        var client = new FakeDurableClient();
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(IntegrationOrchestrator), null, new StartOrchestrationOptions("bad-0123456789abcdef"));
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(IntegrationOrchestrator), null, new StartOrchestrationOptions("bad-x-0123456789abcdef"));

        var response = Response(await Queries(services).ListAsync(Get("runs?family=bad"), client, CancellationToken.None));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["bad-0123456789abcdef"], response.Json().EnumerateArray().Select(r => r.GetProperty("runId").GetString()));
    }

    [Fact]
    public async Task ListAsync_ClientFails_Returns500WithJsonErrorNamingTheCallAndNoStackTrace()
    {
        using var services = await ServicesAsync();

        // The recording client does not filter by time: it throws, as a real client does when its backend fails.
        var response = Response(await Queries(services).ListAsync(Get("runs?from=2025-01-31T00:00:00Z"), new FakeDurableClient(), CancellationToken.None));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var error = response.Json().GetProperty("error").GetString()!;
        Assert.StartsWith("GET /api/runs failed: ", error, StringComparison.Ordinal);
        Assert.Contains("not by time", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_UnknownRun_Returns404WithJsonErrorNamingTheRun()
    {
        using var services = await ServicesAsync();

        var response = Response(await Queries(services).GetAsync(Get("runs/nope-0123456789abcdef"), "nope-0123456789abcdef", new FakeDurableClient(), CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("nope-0123456789abcdef", response.Json().GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_RunWithSummaryOnStorage_Returns200WithTheRunAndItsSummary()
    {
        using var services = await ServicesAsync();
        const string runId = "got-0123456789abcdef";
        var client = new FakeDurableClient();
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(IntegrationOrchestrator), null, new StartOrchestrationOptions(runId));
        await services.GetRequiredService<WorkflowStorage>().WriteSmallAsync(BlobLayout.RunsContainer, BlobLayout.RunSummary(runId),
            Encoding.UTF8.GetBytes("{\"run_id\":\"got-0123456789abcdef\",\"family\":\"got\",\"outcome\":\"failed\"}"), null, CancellationToken.None);

        var response = Response(await Queries(services).GetAsync(Get("runs/" + runId), runId, client, CancellationToken.None));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = response.Json();
        Assert.Equal(runId, body.GetProperty("run").GetProperty("runId").GetString());
        Assert.Equal("got", body.GetProperty("run").GetProperty("family").GetString());
        Assert.Equal(0, body.GetProperty("jobs").GetArrayLength());
        Assert.Equal("failed", body.GetProperty("summary").GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task StartRunAsync_FamilyWithoutManifest_Returns404AndSchedulesNothing()
    {
        using var services = await ServicesAsync();
        var client = new FakeDurableClient();

        var response = Response(await Start(services).RunAsync(Post("runs/nomanifest"), "nomanifest", client, CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = response.Json();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("runId").ValueKind);
        Assert.Contains("no manifest checkpoints/nomanifest/cki.yaml", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("no manifest checkpoints/nomanifest/cki.yaml", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(client.Scheduled);
    }

    [Fact]
    public async Task StartRunAsync_ManifestOver64KB_RespondsWithJsonNotAnException()
    {
        using var services = await ServicesAsync();
        await services.GetRequiredService<WorkflowStorage>().WriteSmallAsync(BlobLayout.CheckpointsContainer, BlobLayout.FamilyManifest("huge"),
            Encoding.UTF8.GetBytes("# padding\n" + new string('#', 70 * 1024) + "\n" + FamilyManifestBuilder.DataFree("a", "b").Build()), null, CancellationToken.None);
        var client = new FakeDurableClient();

        var response = Response(await Start(services).RunAsync(Post("runs/huge"), "huge", client, CancellationToken.None));

        // Rejected here (422 naming the manifest), or, once the starter turns it into a failed run, started: never a bare fault.
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = response.Json();
        if ((int)response.StatusCode >= 400)
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Contains("checkpoints/huge/cki.yaml", body.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Empty(client.Scheduled);
        }
    }

    [Fact]
    public async Task StartRunAsync_CompleteFamily_Returns202AndSchedulesOneIntegrationRunUnderTheResolvedRunId()
    {
        using var services = await ServicesAsync();
        var storage = services.GetRequiredService<WorkflowStorage>();
        await ActivityFunctionsTests.DropFamilyAsync(storage, "http", [2, 2]);
        var expected = (await new InputResolver(storage).ResolveAsync("http", CancellationToken.None)).RunId;
        var client = new FakeDurableClient();

        var response = Response(await Start(services).RunAsync(Post("runs/http"), "http", client, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.StartsWith("http-", expected, StringComparison.Ordinal);
        Assert.Equal(expected, response.Json().GetProperty("runId").GetString());
        Assert.True(response.Json().GetProperty("started").GetBoolean());
        Assert.Equal(["/api/runs/" + expected], response.Headers.GetValues("Location"));
        var scheduled = Assert.Single(client.Scheduled);
        Assert.Equal(nameof(IntegrationOrchestrator), scheduled.Name.Name);
        Assert.Equal(expected, scheduled.InstanceId);
        var request = Assert.IsType<RunRequest>(scheduled.Input);
        Assert.Equal(("http", "http", expected), (request.Family, request.Trigger, request.RunId));
        Assert.Equal(["a", "b"], request.Inputs.Select(i => i.Source));
    }

    [Fact]
    public async Task TerminateAsync_UnknownRun_Returns404AndTerminatesNothing()
    {
        using var services = await ServicesAsync();
        var client = new FakeDurableClient();

        var response = Response(await Queries(services).TerminateAsync(Post("runs/nope-0123456789abcdef/terminate"), "nope-0123456789abcdef", client, CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("nope-0123456789abcdef", response.Json().GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(client.Terminated);
    }

    [Fact]
    public async Task TerminateAsync_ScheduledRun_Returns202AndTerminatesItWithTheReason()
    {
        using var services = await ServicesAsync();
        const string runId = "term-0123456789abcdef";
        var client = new FakeDurableClient();
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(IntegrationOrchestrator), null, new StartOrchestrationOptions(runId));

        var response = Response(await Queries(services).TerminateAsync(Post($"runs/{runId}/terminate"), runId, client, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal([(runId, (object?)"terminated through the HTTP API")], client.Terminated);
    }

    [Fact]
    public async Task TerminateAsync_RunThatHadEnded_Returns409AndTerminatesNothing()
    {
        using var services = await ServicesAsync();
        const string runId = "ended-0123456789abcdef";
        var client = new FakeDurableClient();
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(IntegrationOrchestrator), null, new StartOrchestrationOptions(runId));
        await client.TerminateInstanceAsync(runId, new TerminateInstanceOptions { Output = "the first terminate" });

        var response = Response(await Queries(services).TerminateAsync(Post($"runs/{runId}/terminate"), runId, client, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("nothing was terminated", response.Json().GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal([(runId, (object?)"the first terminate")], client.Terminated);
    }

    private static StandInHttpRequestData Get(string path) => new("GET", "http://localhost/api/" + path);

    private static StandInHttpRequestData Post(string path) => new("POST", "http://localhost/api/" + path);

    private static StandInHttpResponseData Response(HttpResponseData response) => Assert.IsType<StandInHttpResponseData>(response);

    private static RunQueryFunctions Queries(IServiceProvider services) => ActivatorUtilities.CreateInstance<RunQueryFunctions>(services);

    private static StartRunFunction Start(IServiceProvider services) => ActivatorUtilities.CreateInstance<StartRunFunction>(services);

    private async Task<ServiceProvider> ServicesAsync()
    {
        var services = ActivityFunctionsTests.Services(azurite);
        await services.GetRequiredService<WorkflowStorage>().EnsureContainersAsync(CancellationToken.None);
        return services;
    }
}
