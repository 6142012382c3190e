using System.Text;
using Cki.Contracts.Jobs;
using Cki.Contracts.Runs;
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
/// Validation takes the family's published model as the run's champion only when it can still compete: its blobs are
/// there and it has the inputs' architecture. Otherwise the run goes on without one, saying why (real Azurite).
/// </summary>
public sealed class ValidateChampionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Manifest = "task: synthetic\nsources: [a, b]\nmerge:\n  method: average\nevaluation:\n  baselines: []\n";

    [Fact]
    public async Task RunAsync_PublishedModelStillThere_IsTheChampion()
    {
        var (storage, request) = await StartedAsync("champ", publishedShape: 4, putPublished: true);

        var plan = await new ValidateRunActivity(storage).RunAsync(null!, request);

        Assert.Equal(("champ-0000000000000001", (string?)null), (plan.Champion?.RunId, plan.ChampionNote));
    }

    [Fact]
    public async Task RunAsync_PublishedModelPurged_NoChampionAndANoteSaysWhy()
    {
        var (storage, request) = await StartedAsync("purged", publishedShape: 4, putPublished: false);

        var plan = await new ValidateRunActivity(storage).RunAsync(null!, request);

        Assert.Null(plan.Champion);
        Assert.StartsWith("the published model (purged-0000000000000001, integrated/purged/purged-0000000000000001/model.safetensors) cannot be read any more",
            plan.ChampionNote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PublishedModelOfAnotherArchitecture_NoChampion()
    {
        var (storage, request) = await StartedAsync("wider", publishedShape: 5, putPublished: true);

        var plan = await new ValidateRunActivity(storage).RunAsync(null!, request);

        Assert.Null(plan.Champion);
        Assert.Contains("has another architecture than the inputs", plan.ChampionNote, StringComparison.Ordinal);
    }

    private async Task<(WorkflowStorage Storage, RunRequest Request)> StartedAsync(string family, int publishedShape, bool putPublished)
    {
        var storage = new WorkflowStorage(azurite.ConnectionString);
        await storage.EnsureContainersAsync(CancellationToken.None);
        await PutAsync(storage, BlobLayout.CheckpointsContainer, $"{family}/a/v1/model.safetensors", Model(1, 4));
        await PutAsync(storage, BlobLayout.CheckpointsContainer, $"{family}/b/v1/model.safetensors", Model(2, 4));
        await PutAsync(storage, BlobLayout.CheckpointsContainer, $"{family}/cki.yaml", Encoding.UTF8.GetBytes(Manifest));
        var published = $"{family}-0000000000000001";
        var model = $"{family}/{published}/model.safetensors";
        if (putPublished)
        {
            await PutAsync(storage, BlobLayout.IntegratedContainer, model, Model(3, publishedShape));
        }

        await PutAsync(storage, BlobLayout.IntegratedContainer, BlobLayout.LatestPointer(family), JobJson.Serialize(new PublishedRun
        {
            Family = family, RunId = published, Folder = $"integrated/{family}/{published}/", Model = $"integrated/{model}", Candidate = CandidateNames.Integrated,
        }));
        var inputs = await new InputResolver(storage).ResolveAsync(family, CancellationToken.None);
        Assert.True(inputs.Ready, inputs.Reason);
        return (storage, new RunRequest(inputs.RunId, family, inputs.ManifestETag, inputs.Inputs, "test", new WorkflowSettings().RunSettings, inputs.ManifestContentId));
    }

    private static async Task PutAsync(WorkflowStorage storage, string container, string name, byte[] content) =>
        await storage.WriteSmallAsync(container, name, content, null, CancellationToken.None);

    // One F32 tensor "w" of the given length, all values equal to the seed.
    private static byte[] Model(int seed, int length) => new SafetensorsBuilder().F32("w", [length], seed).Build();
}
