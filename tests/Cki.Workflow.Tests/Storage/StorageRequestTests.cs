using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Cki.Testing;
using Cki.Workflow.Storage;

namespace Cki.Workflow.Tests.Storage;

/// <summary>
/// What each storage call costs in requests, counted on the wire by a pipeline policy of the test's own: the workflow
/// makes these calls several times per job, so one request more is one more per job.
/// </summary>
public sealed class StorageRequestTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task ReadSmall_OneRequest_ContentAndETagOfTheBlobAsWritten()
    {
        var (storage, requests) = Counted();
        await storage.EnsureContainersAsync(default);
        var etag = await storage.WriteSmallAsync("runs", "requests/read.json", "{\"a\":1}"u8.ToArray(), null, default);
        requests.Clear();

        var read = await storage.ReadSmallAsync("runs", "requests/read.json", 1 << 10, default);

        Assert.Equal(["GET /runs/requests/read.json"], requests);
        Assert.Equal(("{\"a\":1}", etag), (System.Text.Encoding.UTF8.GetString(read!.Value.Content), read.Value.ETag));
    }

    [Fact]
    public async Task ReadSmall_OverTheBound_ErrorNamingTheBlob_MissingBlob_Null()
    {
        var (storage, _) = Counted();
        await storage.EnsureContainersAsync(default);
        await storage.WriteSmallAsync("runs", "requests/big.json", new byte[100], null, default);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => storage.ReadSmallAsync("runs", "requests/big.json", 99, default));
        Assert.Contains("runs/requests/big.json: 100 bytes", error.Message, StringComparison.Ordinal);
        Assert.Null(await storage.ReadSmallAsync("runs", "requests/none.json", 99, default));
    }

    [Fact]
    public async Task List_OneRequestAPage_AMissingContainerListsNothing()
    {
        var (storage, requests) = Counted();
        await storage.EnsureContainersAsync(default);
        await storage.WriteSmallAsync("runs", "requests/listed/a.json", [1], null, default);
        requests.Clear();

        var listed = await storage.ListAsync("runs", "requests/listed/", default);
        var missing = await storage.ListAsync("no-such-container", null, default);

        Assert.Equal(["requests/listed/a.json"], listed.Select(b => b.Name));
        Assert.Empty(missing);
        Assert.Equal(["GET /runs", "GET /no-such-container"], requests);
    }

    private (WorkflowStorage Storage, ConcurrentQueue<string> Requests) Counted()
    {
        var requests = new RequestLog();
        var options = new BlobClientOptions();
        options.AddPolicy(requests, HttpPipelinePosition.PerCall);
        return (new WorkflowStorage(new BlobServiceClient(azurite.ConnectionString, options)), requests.Seen);
    }

    // Every request's method and path (without the account segment), as it goes out.
    private sealed class RequestLog : HttpPipelineSynchronousPolicy
    {
        public ConcurrentQueue<string> Seen { get; } = new();

        public override void OnSendingRequest(HttpMessage message)
        {
            var path = message.Request.Uri.Path;
            Seen.Enqueue($"{message.Request.Method.Method} {path[path.IndexOf('/', 1)..]}");
        }
    }
}
