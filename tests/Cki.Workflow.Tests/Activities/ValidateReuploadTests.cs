using Cki.Contracts.Storage;
using Cki.Testing;
using Cki.Testing.Builders;
using Cki.Workflow.Activities;
using Cki.Workflow.Messages;
using Cki.Workflow.Runs;
using Cki.Workflow.Settings;
using Cki.Workflow.Storage;

namespace Cki.Workflow.Tests.Activities;

/// <summary>
/// Validation reads headers under the versions the run was started with. The same bytes uploaded again meanwhile
/// (same run id, so no other run would pick them up) must not fail the run; different bytes must.
/// </summary>
public sealed class ValidateReuploadTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task RunAsync_SameBytesUploadedAgainAfterTheStart_Validates()
    {
        var (storage, request) = await StartedAsync("reup");
        await PutAsync(storage, "reup/a/v1/model.safetensors", Model(1));
        await PutAsync(storage, "reup/cki.yaml", Manifest.ToBytes());

        var plan = await new ValidateRunActivity(storage).RunAsync(null!, request);

        Assert.Equal(["a", "b"], plan.Sources);
        Assert.Equal(request.RunId, (await new InputResolver(storage).ResolveAsync("reup", CancellationToken.None)).RunId);
    }

    [Fact]
    public async Task RunAsync_OtherBytesUploadedAfterTheStart_FailsNamingTheBlob()
    {
        var (storage, request) = await StartedAsync("reother");
        await PutAsync(storage, "reother/a/v1/model.safetensors", Model(9));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new ValidateRunActivity(storage).RunAsync(null!, request));

        Assert.Contains("checkpoints/reother/a/v1/model.safetensors: changed", error.Message, StringComparison.Ordinal);
    }

    private static readonly FamilyManifestBuilder Manifest = FamilyManifestBuilder.DataFree("a", "b");

    private async Task<(WorkflowStorage Storage, RunRequest Request)> StartedAsync(string family)
    {
        var storage = new WorkflowStorage(azurite.ConnectionString);
        await storage.EnsureContainersAsync(CancellationToken.None);
        await new FamilyBuilder(family).Checkpoint("a", Model(1)).Checkpoint("b", Model(2)).Manifest(Manifest).UploadAsync((name, content) => PutAsync(storage, name, content));
        var inputs = await new InputResolver(storage).ResolveAsync(family, CancellationToken.None);
        Assert.True(inputs.Ready, inputs.Reason);
        Assert.All(inputs.Inputs, i => Assert.StartsWith("md5:", i.ContentIds!.Values.Single(), StringComparison.Ordinal));
        return (storage, new RunRequest(inputs.RunId, family, inputs.ManifestETag, inputs.Inputs, "test", new WorkflowSettings().RunSettings, inputs.ManifestContentId));
    }

    private static async Task PutAsync(WorkflowStorage storage, string name, byte[] content) =>
        await storage.WriteSmallAsync(BlobLayout.CheckpointsContainer, name, content, null, CancellationToken.None);

    // One F32 tensor of four values, all equal to the seed.
    private static byte[] Model(int seed) => new SafetensorsBuilder().F32("w", [4], seed).Build();
}
