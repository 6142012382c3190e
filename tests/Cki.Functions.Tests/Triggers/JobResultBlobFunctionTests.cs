using Azure.Storage.Blobs;
using Cki.Contracts.Jobs;
using Cki.Contracts.Storage;
using Cki.Functions.Triggers;
using Cki.Testing;
using Cki.Testing.Durable;
using Cki.Workflow.Storage;
using Cki.Workflow.Triggers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cki.Functions.Tests.Triggers;

/// <summary>
/// The job-result trigger's body on real blobs in Azurite. The Durable client is a recording stand-in because the
/// Functions host, which would inject the real one, cannot run here.
/// </summary>
public sealed class JobResultBlobFunctionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string RunId = "fam-0123456789abcdef";

    private static readonly JobResult Result = new()
    {
        RunId = RunId,
        JobId = "profile-a",
        Kind = JobKinds.Profile,
        Succeeded = true,
        Seconds = 12.5,
        Figures = new Dictionary<string, double> { ["non_finite"] = 0, ["bytes_written"] = 2048 },
        Outputs = ["runs/fam-0123456789abcdef/jobs/profile-a/profile.json"],
        Tool = "cki-compute 0.1.0",
    };

    [Fact]
    public async Task RunAsync_ResultBlobWithFakeDurableClientSinceNoFunctionsHost_RaisesJobEventOnItsRunWithTheResult()
    {
        var (storage, blobs) = await StorageAsync();
        var name = BlobLayout.JobResult(RunId, "profile-a");
        await storage.WriteSmallAsync(BlobLayout.RunsContainer, name, JobJson.Serialize(Result), ifMatch: null, CancellationToken.None);
        var client = new FakeDurableClient();

        await Function(storage).RunAsync(blobs.GetBlobClient(name), name, client, CancellationToken.None);

        var raised = Assert.Single(client.Events);
        Assert.Equal(RunId, raised.InstanceId);
        Assert.Equal("job:profile-a", raised.EventName);
        var payload = Assert.IsType<JobResult>(raised.Payload);
        Assert.Equal(JobJson.Serialize(Result), JobJson.Serialize(payload));
    }

    [Theory]
    [InlineData("jobs/profile-a/spec.json")]
    [InlineData("summary.json")]
    [InlineData("jobs/profile-a/profile.json")]
    public async Task RunAsync_OtherBlobOfTheRunWithFakeDurableClientSinceNoFunctionsHost_RaisesNothing(string file)
    {
        var (storage, blobs) = await StorageAsync();
        var name = BlobLayout.RunPrefix(RunId) + file;
        await storage.WriteSmallAsync(BlobLayout.RunsContainer, name, JobJson.Serialize(Result), ifMatch: null, CancellationToken.None);
        var client = new FakeDurableClient();

        await Function(storage).RunAsync(blobs.GetBlobClient(name), name, client, CancellationToken.None);

        Assert.Empty(client.Events);
    }

    [Fact]
    public async Task RunAsync_ResultThatIsNotAJobResult_FailsNamingTheBlobAndRaisesNothing()
    {
        var (storage, blobs) = await StorageAsync();
        var name = BlobLayout.JobResult(RunId, "splice-00001");
        await storage.WriteSmallAsync(BlobLayout.RunsContainer, name, "{\"run_id\": 3}"u8.ToArray(), ifMatch: null, CancellationToken.None);
        var client = new FakeDurableClient();

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Function(storage).RunAsync(blobs.GetBlobClient(name), name, client, CancellationToken.None));

        Assert.Contains($"runs/{name}", error.Message, StringComparison.Ordinal);
        Assert.Empty(client.Events);
    }

    private static JobResultBlobFunction Function(WorkflowStorage storage) => new(storage, NullLogger<JobResultEvents>.Instance);

    private async Task<(WorkflowStorage Storage, BlobContainerClient Blobs)> StorageAsync()
    {
        var storage = new WorkflowStorage(azurite.ConnectionString);
        await storage.EnsureContainersAsync(CancellationToken.None);
        return (storage, azurite.Blobs.GetBlobContainerClient(BlobLayout.RunsContainer));
    }
}
