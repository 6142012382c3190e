using System.Text;
using Azure.Storage.Blobs;
using Cki.Contracts.Storage;
using Cki.Functions.Hosting;
using Cki.Functions.Triggers;
using Cki.Testing;
using Cki.Testing.Durable;
using Cki.Workflow.Messages;
using Cki.Workflow.Orchestration;
using Cki.Workflow.Runs;
using Cki.Workflow.Settings;
using Cki.Workflow.Storage;
using Cki.Workflow.Triggers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cki.Functions.Tests.Triggers;

/// <summary>
/// The checkpoint trigger's body on real blobs in Azurite. The Durable client is a recording stand-in because the
/// Functions host, which would inject the real one, cannot run here (STACK.md).
/// </summary>
public sealed class CheckpointBlobFunctionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Manifest = "task: synthetic\nsources: [a, b]\n";

    [Fact]
    public async Task RunAsync_CompleteFamilyMarkedReadyFiredTwiceWithFakeDurableClientSinceNoFunctionsHost_SchedulesOneIntegrationRunAtOnce()
    {
        var (storage, blobs) = await StorageAsync();
        await PutAsync(storage, BlobLayout.FamilyManifest("complete"), Manifest);
        await PutAsync(storage, BlobLayout.CheckpointFile("complete", "a", "v1", "model.safetensors"), "not read by the trigger");
        await PutAsync(storage, BlobLayout.CheckpointFile("complete", "b", "v1", "model.safetensors"), "not read by the trigger");
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // a marker in the same second as the last blob is not trusted
        var last = BlobLayout.ReadyMarker("complete");
        await PutAsync(storage, last, "");
        var client = new FakeDurableClient();
        var function = Function(storage);

        await function.RunAsync(blobs.GetBlobClient(last), last, client, CancellationToken.None);
        await function.RunAsync(blobs.GetBlobClient(last), last, client, CancellationToken.None);

        var scheduled = Assert.Single(client.Scheduled);
        Assert.Equal(nameof(IntegrationOrchestrator), scheduled.Name.Name);
        Assert.StartsWith("complete-", scheduled.InstanceId, StringComparison.Ordinal);
        var request = Assert.IsType<RunRequest>(scheduled.Input);
        Assert.Equal(("complete", "blob", scheduled.InstanceId), (request.Family, request.Trigger, request.RunId));
        Assert.Equal(["a", "b"], request.Inputs.Select(i => i.Source));
    }

    [Fact]
    public async Task RunAsync_CompleteFamilyWithoutMarkerFiredTwiceWithFakeDurableClientSinceNoFunctionsHost_SchedulesOneSettleOrchestration()
    {
        var (storage, blobs) = await StorageAsync();
        await PutAsync(storage, BlobLayout.FamilyManifest("unmarked"), Manifest);
        await PutAsync(storage, BlobLayout.CheckpointFile("unmarked", "a", "v1", "model.safetensors"), "not read by the trigger");
        var last = BlobLayout.CheckpointFile("unmarked", "b", "v1", "model.safetensors");
        await PutAsync(storage, last, "not read by the trigger");
        var client = new FakeDurableClient();
        var function = Function(storage);

        await function.RunAsync(blobs.GetBlobClient(last), last, client, CancellationToken.None);
        await function.RunAsync(blobs.GetBlobClient(last), last, client, CancellationToken.None);

        var scheduled = Assert.Single(client.Scheduled);
        Assert.Equal(nameof(SettleOrchestrator), scheduled.Name.Name);
        var request = Assert.IsType<SettleRequest>(scheduled.Input);
        Assert.Equal(("unmarked", 30.0), (request.Family, request.Seconds));
        Assert.Equal(SettleOrchestrator.InstanceId("unmarked", request.StateKey), scheduled.InstanceId);
    }

    [Fact]
    public async Task RunAsync_SourceWithoutCheckpointWithFakeDurableClientSinceNoFunctionsHost_StartsNothing()
    {
        var (storage, blobs) = await StorageAsync();
        await PutAsync(storage, BlobLayout.FamilyManifest("partial"), Manifest);
        await PutAsync(storage, BlobLayout.CheckpointFile("partial", "a", "v1", "model.safetensors"), "not read by the trigger");
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // a marker in the same second as the last blob is not trusted
        var only = BlobLayout.ReadyMarker("partial");
        await PutAsync(storage, only, "");
        var client = new FakeDurableClient();

        await Function(storage).RunAsync(blobs.GetBlobClient(only), only, client, CancellationToken.None);

        Assert.Empty(client.Scheduled);
    }

    [Fact]
    public async Task RunAsync_BlobAtTheContainerRootWithFakeDurableClientSinceNoFunctionsHost_StartsNothing()
    {
        var (storage, blobs) = await StorageAsync();
        var client = new FakeDurableClient();

        await Function(storage).RunAsync(blobs.GetBlobClient("readme.txt"), "readme.txt", client, CancellationToken.None);

        Assert.Empty(client.Scheduled);
    }

    private static CheckpointBlobFunction Function(WorkflowStorage storage) =>
        new(new RunStarterFactory(new InputResolver(storage), new WorkflowSettings().RunSettings, NullLogger<RunStarter>.Instance), storage,
            new WorkflowSettings { SettleSeconds = 30 });

    private static Task<string?> PutAsync(WorkflowStorage storage, string name, string content) =>
        storage.WriteSmallAsync(BlobLayout.CheckpointsContainer, name, Encoding.UTF8.GetBytes(content), ifMatch: null, CancellationToken.None);

    private async Task<(WorkflowStorage Storage, BlobContainerClient Blobs)> StorageAsync()
    {
        var storage = new WorkflowStorage(azurite.ConnectionString);
        await storage.EnsureContainersAsync(CancellationToken.None);
        return (storage, azurite.Blobs.GetBlobContainerClient(BlobLayout.CheckpointsContainer));
    }
}
