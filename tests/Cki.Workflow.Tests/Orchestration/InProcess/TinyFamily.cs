using Cki.Contracts.Storage;
using Cki.Testing.Builders;
using Cki.Workflow.Messages;
using Cki.Workflow.Runs;
using Cki.Workflow.Storage;

namespace Cki.Workflow.Tests.Orchestration.InProcess;

/// <summary>A family of two checkpoints of small tensors (data-free) dropped into storage, and the run request a trigger would make for it.</summary>
public static class TinyFamily
{
    /// <summary>The family's job ids with one splice shard.</summary>
    public static readonly string[] JobIds = ["profile-a", "profile-b", "splice-00001"];

    /// <summary>Drops the family's manifest and checkpoints and returns the run request for them.</summary>
    /// <remarks>The models have two tensors, <c>v</c> and <c>w</c>, or <paramref name="tensors"/> ones named <c>t00</c>, <c>t01</c>, ...</remarks>
    public static async Task<RunRequest> DropAsync(WorkflowStorage storage, string family, RunSettings settings, int shards = 1, int? tensors = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var names = tensors is { } count ? Enumerable.Range(0, count).Select(i => $"t{i:D2}").ToArray() : ["v", "w"];
        await new FamilyBuilder(family).Checkpoint("a", Model(1, names)).Checkpoint("b", Model(2, names))
            .Manifest(FamilyManifestBuilder.DataFree("a", "b").Shards(shards)).UploadAsync((name, content) => PutAsync(storage, name, content));
        var inputs = await new InputResolver(storage).ResolveAsync(family, CancellationToken.None);
        Assert.True(inputs.Ready, inputs.Reason);
        return new RunRequest(inputs.RunId, family, inputs.ManifestETag, inputs.Inputs, "test", settings, inputs.ManifestContentId);
    }

    /// <summary>A family's name, told apart for the grouped-starts case of a test that runs both ways on one storage account.</summary>
    public static string Named(string family, bool grouped) => grouped ? family + "-g" : family;

    /// <summary>Settings that make a test fast: probes every 0.2 s; with <paramref name="grouped"/>, a fan-out's first starts in one activity.</summary>
    public static RunSettings Fast(double jobTimeoutSeconds = 60, int maxAttempts = 3, bool grouped = false) =>
        new(jobTimeoutSeconds, ProbeIntervalSeconds: 0.2, maxAttempts, GroupedStarts: grouped);

    /// <summary>Jobs of a phase in batches of <paramref name="jobsPerBatch"/>, probing every <paramref name="probeIntervalSeconds"/>.</summary>
    public static RunSettings Batched(int jobsPerBatch, double probeIntervalSeconds = 0.2, double jobTimeoutSeconds = 60) =>
        new(jobTimeoutSeconds, probeIntervalSeconds, MaxAttempts: 3, jobsPerBatch);

    private static async Task PutAsync(WorkflowStorage storage, string name, byte[] content) =>
        await storage.WriteSmallAsync(BlobLayout.CheckpointsContainer, name, content, null, CancellationToken.None);

    // F32 tensors of four values each, all equal to the seed.
    private static byte[] Model(int seed, string[] names) => names.Aggregate(new SafetensorsBuilder(), (file, name) => file.F32(name, [4], seed)).Build();
}
