using System.Text.Json;
using System.Text;
using Cki.Contracts.Storage;
using Cki.Testing;
using Cki.Testing.Durable;
using Cki.Workflow.Api;
using Cki.Workflow.Messages;
using Cki.Workflow.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask;

namespace Cki.Workflow.Tests.Api;

/// <summary>
/// How <see cref="RunQueries"/> shows a run: the family filter, the failure reason and the progress, as both hosts
/// serialize them (web defaults), over a stand-in Durable client and a real Azurite for the run documents.
/// </summary>
public sealed class RunViewTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task ListAsync_FamilyThatPrefixesAnother_ListsOnlyItsOwnRuns()
    {
        var client = new FakeDurableClient(
            FakeDurableClient.Instance("bad-0123456789abcdef", OrchestrationRuntimeStatus.Completed),
            FakeDurableClient.Instance("bad-x-0123456789abcdef", OrchestrationRuntimeStatus.Completed),
            FakeDurableClient.Instance("badx-0123456789abcdef", OrchestrationRuntimeStatus.Completed));
        var queries = new RunQueries(client, await StorageAsync());

        var bad = await queries.ListAsync("bad", null, null, null, CancellationToken.None);
        var badX = await queries.ListAsync("bad-x", null, null, null, CancellationToken.None);

        Assert.Equal(["bad-0123456789abcdef"], bad.Select(r => r.RunId));
        Assert.Equal(["bad-x-0123456789abcdef"], badX.Select(r => r.RunId));
        Assert.Equal("bad-x", Assert.Single(badX).Family);
    }

    [Fact]
    public async Task ListAsync_SettleOrchestrationBesideARun_ListsOnlyTheRun()
    {
        var client = new FakeDurableClient(
            FakeDurableClient.Instance("demo-0123456789abcdef", OrchestrationRuntimeStatus.Completed),
            FakeDurableClient.Instance(Cki.Workflow.Triggers.SettleOrchestrator.InstanceId("demo", "0123456789abcdef"), OrchestrationRuntimeStatus.Running));
        var queries = new RunQueries(client, await StorageAsync());

        var all = await queries.ListAsync(null, null, null, null, CancellationToken.None);

        Assert.Equal(["demo-0123456789abcdef"], all.Select(r => r.RunId));
    }

    [Fact]
    public async Task ListAsync_FailedRunWithReasonOnlyInCustomStatus_ErrorIsTheReasonAndProgressIsCamelCase()
    {
        var status = JsonDataConverter.Default.Serialize(new RunStatus("failed", 1, 2, "checkpoints/f/c/: no version folder"));
        var client = new FakeDurableClient(FakeDurableClient.Instance("f-0123456789abcdef", OrchestrationRuntimeStatus.Failed, status));
        var queries = new RunQueries(client, await StorageAsync());

        var run = Assert.Single(await queries.ListAsync("f", null, null, null, CancellationToken.None));
        var json = JsonSerializer.SerializeToElement(run, Web);

        Assert.Equal("checkpoints/f/c/: no version folder", run.Error);
        Assert.Equal("checkpoints/f/c/: no version folder", json.GetProperty("error").GetString());
        var progress = json.GetProperty("progress");
        Assert.Equal(["phase", "jobsDone", "jobsTotal", "error", "batch"], progress.EnumerateObject().Select(p => p.Name));
        Assert.Equal("failed", progress.GetProperty("phase").GetString());
        Assert.Equal(1, progress.GetProperty("jobsDone").GetInt32());
        Assert.Equal(2, progress.GetProperty("jobsTotal").GetInt32());
    }

    [Fact]
    public async Task ListAsync_FailedRunWithFailureDetailsAndNoStatusError_ErrorIsTheFailureMessage()
    {
        var status = JsonDataConverter.Default.Serialize(new RunStatus("splice", 3, 4));
        var failure = new TaskFailureDetails("RunFailedException", "the orchestration's own failure", null, null, null);
        var client = new FakeDurableClient(FakeDurableClient.Instance("g-0123456789abcdef", OrchestrationRuntimeStatus.Failed, status, failure));
        var queries = new RunQueries(client, await StorageAsync());

        var run = Assert.Single(await queries.ListAsync("g", null, null, null, CancellationToken.None));

        Assert.Equal("the orchestration's own failure", run.Error);
    }

    [Fact]
    public async Task GetAsync_FailedRunWithReasonOnlyInSummary_ErrorIsTheSummarysAndSummaryIsCamelCase()
    {
        const string runId = "s-0123456789abcdef";
        var storage = await StorageAsync();
        await storage.WriteSmallAsync(BlobLayout.RunsContainer, BlobLayout.RunSummary(runId), Encoding.UTF8.GetBytes(
            """{"run_id": "s-0123456789abcdef", "family": "s", "outcome": "failed", "error": "only in the summary", "jobs": [{"job_id": "profile-a", "kind": "profile", "attempts": 2, "seconds": 0, "succeeded": false}]}"""),
            null, CancellationToken.None);
        var client = new FakeDurableClient(FakeDurableClient.Instance(runId, OrchestrationRuntimeStatus.Failed));
        var queries = new RunQueries(client, storage);

        var listed = Assert.Single(await queries.ListAsync("s", null, null, null, CancellationToken.None));
        var detail = await queries.GetAsync(runId, CancellationToken.None);
        var json = JsonSerializer.SerializeToElement(detail, Web);

        Assert.Equal("only in the summary", listed.Error);
        Assert.Equal("only in the summary", json.GetProperty("run").GetProperty("error").GetString());
        var job = Assert.Single(json.GetProperty("summary").GetProperty("jobs").EnumerateArray());
        Assert.Equal("profile-a", job.GetProperty("jobId").GetString());
        Assert.False(job.GetProperty("succeeded").GetBoolean());
    }

    [Fact]
    public async Task ListAsync_CompletedRun_HasNoError()
    {
        var status = JsonDataConverter.Default.Serialize(new RunStatus("completed", 5, 5));
        var client = new FakeDurableClient(FakeDurableClient.Instance("c-0123456789abcdef", OrchestrationRuntimeStatus.Completed, status));
        var queries = new RunQueries(client, await StorageAsync());

        var run = Assert.Single(await queries.ListAsync("c", null, null, null, CancellationToken.None));

        Assert.Null(run.Error);
    }

    private async Task<WorkflowStorage> StorageAsync()
    {
        var storage = new WorkflowStorage(azurite.ConnectionString);
        await storage.EnsureContainersAsync(CancellationToken.None);
        return storage;
    }
}
