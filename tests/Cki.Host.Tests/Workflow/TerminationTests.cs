using Cki.Testing.Builders;
using Microsoft.Extensions.DependencyInjection;
using Cki.Contracts.Storage;
using Cki.Host.Tests.Support;
using Cki.Testing;
using Cki.Workflow.Activities;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Messages;
using Cki.Workflow.Triggers;
using Microsoft.DurableTask.Client;

namespace Cki.Host.Tests.Workflow;

/// <summary>A run terminated in the middle of its splice jobs starts nothing more and leaves nothing under integrated/.</summary>
[Collection(WorkflowTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed class TerminationTests(AzuriteFixture azurite)
{
    private const string Family = "stop";

    [Fact]
    public async Task TerminateMidSplice_NoJobStartsAfterwards_PartialOutputsRemoved_NothingPublished()
    {
        using var scratch = new ScratchFolder();
        var script = scratch.File("slow.sh");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\n# The real job, a little slower, so that the run is terminated among its splices.\nsleep 0.5\nexec dotnet {HostHarness.ComputeDll} \"$@\"\n");
        var options = HostHarness.Settings(azurite, "Terminate2") with { ComputeCommand = "sh", ComputeArguments = script, LocalJobs = Cki.Workflow.Dispatch.LocalJobMode.Processes, BlobTriggers = false, MaxConcurrentJobs = 1 };
        await using var harness = await HostHarness.StartAsync(options);
        await HostHarness.DropAsync(harness.Storage, Family, FamilyManifestBuilder.DataFree("a", "b").Shards(5).Build(), ["a", "b"]);
        var runId = (await harness.Host.App.Services.GetRequiredService<RunStarter>().StartAsync(Family, "http", false, CancellationToken.None)).RunId!;
        var outputs = BlobLayout.IntegratedRunPrefix(Family, runId);
        await HostHarness.WaitUntilAsync(async () => (await harness.Storage.ListAsync(BlobLayout.IntegratedContainer, outputs, default)).Count >= 4, TimeSpan.FromMinutes(2), "outputs of two splice jobs");

        var queries = harness.Host.App.Services.GetRequiredService<Cki.Workflow.Api.RunQueries>();
        Assert.True((await queries.TerminateAsync(runId, "a test stops it", CancellationToken.None, "the termination test")).Terminated);
        var results = await JobFilesAsync(harness, runId, "result.json");
        var starts = await JobFilesAsync(harness, runId, "started.json");
        await Task.Delay(TimeSpan.FromSeconds(6)); // the time the remaining splice jobs would have taken

        var run = await harness.Client.GetInstanceAsync(runId);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, run!.RuntimeStatus);
        Assert.Empty(await harness.Storage.ListAsync(BlobLayout.IntegratedContainer, outputs, default));
        Assert.Equal(starts, await JobFilesAsync(harness, runId, "started.json"));
        Assert.Equal(results, await JobFilesAsync(harness, runId, "result.json"));
        Assert.True(results.Count < 7, $"all {results.Count} jobs had ended before the terminate; the test proves nothing");
        Assert.Null(await harness.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer(Family), 1 << 20, default));
        Assert.NotNull(await harness.Storage.ReadSmallAsync(BlobLayout.RunsContainer, BlobLayout.RunTerminated(runId), 1 << 20, default));
        // The run's page says who terminated it, when and why.
        var termination = (await queries.GetAsync(runId, CancellationToken.None))!.Termination;
        Assert.Equal(("a test stops it", "the termination test"), (termination?.Reason, termination?.By));
        Assert.True(termination!.TerminatedAt > run.CreatedAt);
        // A second terminate finds the run ended: the API answers 409 and nothing changes.
        var again = await queries.TerminateAsync(runId, "once more", CancellationToken.None);
        Assert.Equal((true, false), (again.Found, again.Terminated));
        Assert.Equal(409, Cki.Workflow.Api.ApiError.ForTermination(runId, again)!.Status);
    }

    [Fact]
    public async Task StartJobDeliveredAfterTerminate_StartsNothing()
    {
        await using var harness = await HostHarness.StartAsync(HostHarness.Settings(azurite, "LateStart") with { BlobTriggers = false });
        await HostHarness.DropAsync(harness.Storage, "late", FamilyManifestBuilder.DataFree("a", "b").Shards(1).Build(), ["a", "b"]);
        var runId = (await harness.Host.App.Services.GetRequiredService<RunStarter>().StartAsync("late", "http", false, CancellationToken.None)).RunId!;
        var queries = harness.Host.App.Services.GetRequiredService<Cki.Workflow.Api.RunQueries>();
        Assert.True((await queries.TerminateAsync(runId, "stopped at once", CancellationToken.None)).Terminated);
        var dispatcher = harness.Host.App.Services.GetRequiredService<IJobDispatcher>();

        // What the runtime may still deliver: a start the orchestration had scheduled before it was terminated.
        var activity = ActivatorUtilities.CreateInstance<StartJobActivity>(harness.Host.App.Services);
        var spec = new Cki.Contracts.Jobs.ProfileJobSpec
        {
            RunId = runId, JobId = "profile-late", Family = "late", Manifest = $"runs/{runId}/cki.yaml", Inputs = [], Checkpoint = "checkpoints/late/a/v1/model.safetensors",
        };
        var started = await activity.RunAsync(null!, new JobStart(spec, 1));

        Assert.False(started);
        Assert.Null(await harness.Storage.ReadSmallAsync(BlobLayout.RunsContainer, BlobLayout.JobSpec(runId, "profile-late"), 1 << 20, default));
        Assert.Equal(JobState.Lost, (await dispatcher.ProbeAsync(runId, "profile-late", TimeSpan.FromMinutes(1), default)).State);
    }

    private static async Task<HashSet<string>> JobFilesAsync(HostHarness harness, string runId, string file) =>
        (await harness.Storage.ListAsync(BlobLayout.RunsContainer, $"{runId}/jobs/", default)).Where(b => b.Name.EndsWith("/" + file, StringComparison.Ordinal))
            .Select(b => $"{b.Name} {b.ETag}").ToHashSet(StringComparer.Ordinal);
}
