using System.Net;
using System.Text;
using Cki.Contracts.Storage;
using Cki.Host.Tests.Support;
using Cki.Testing;
using Cki.Testing.Builders;
using Microsoft.DurableTask.Client;

namespace Cki.Host.Tests.Workflow;

/// <summary>Bad input fails a run before any compute, naming the field, blob or tensor; broken jobs fail it after bounded retries.</summary>
[Collection(WorkflowTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed class FailureTests(AzuriteFixture azurite)
{
    private const string Manifest = """
        task: none
        sources: [a, b]
        shards: 2
        """;

    [Fact]
    public async Task ManifestWithUnknownKey_RunFailsBeforeAnyJob_ErrorNamesFileLineAndField()
    {
        await using var harness = await HostHarness.StartAsync(HostHarness.Settings(azurite, "BadManifest"));
        await HostHarness.DropAsync(harness.Storage, "badkey", "task: none\nsources: [a, b]\nmerge:\n  metod: average\n", ["a", "b"]);

        var run = await harness.WaitForRunAsync("badkey", TimeSpan.FromMinutes(2));

        var error = await FailureAsync(harness, run);
        Assert.Contains("checkpoints/badkey/cki.yaml:4:3", error, StringComparison.Ordinal);
        Assert.Contains("merge.metod", error, StringComparison.Ordinal);
        Assert.Empty(await harness.Storage.ListAsync(BlobLayout.RunsContainer, $"{run.InstanceId}/jobs/", default));
    }

    [Fact]
    public async Task MissingCheckpoint_StartedOverHttp_RunFailsNamingTheSourceFolder()
    {
        await using var harness = await HostHarness.StartAsync(HostHarness.Settings(azurite, "Missing"));
        await HostHarness.DropAsync(harness.Storage, "missing", FamilyManifestBuilder.DataFree("a", "b", "c").Build(), ["a", "b"]);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(await harness.RunsAsync("missing")); // the trigger waits for the family to be complete

        using var http = harness.Http();
        using var response = await http.PostAsync(new Uri("/api/runs/missing", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = await harness.WaitForRunAsync("missing", TimeSpan.FromMinutes(2));

        var error = await FailureAsync(harness, run);
        Assert.Contains("checkpoints/missing/c/", error, StringComparison.Ordinal);
        Assert.Empty(await harness.Storage.ListAsync(BlobLayout.RunsContainer, $"{run.InstanceId}/jobs/", default));
        var detail = await http.GetStringAsync(new Uri($"/api/runs/{run.InstanceId}", UriKind.Relative));
        Assert.Contains("checkpoints/missing/c/", detail, StringComparison.Ordinal);
        var list = await http.GetStringAsync(new Uri("/api/runs?family=missing&status=failed", UriKind.Relative));
        Assert.Contains(run.InstanceId, list, StringComparison.Ordinal);
        Assert.Equal("[]", await http.GetStringAsync(new Uri("/api/runs?family=missing&status=completed", UriKind.Relative)));
        using var badFilter = await http.GetAsync(new Uri("/api/runs?status=bogus", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
        Assert.Contains("CKI integration runs", await http.GetStringAsync(new Uri("/", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataReferenceToMissingBlob_RunFailsBeforeAnyJob_ErrorNamesTheField()
    {
        await using var harness = await HostHarness.StartAsync(HostHarness.Settings(azurite, "NoData"));
        const string manifest = "task: movielens\nsources: [a, b]\ndata:\n  ratings: data/nodata/ratings.csv\n  movies: data/nodata/movies.csv\n";
        await HostHarness.DropAsync(harness.Storage, "nodata", manifest, ["a", "b"]);

        var run = await harness.WaitForRunAsync("nodata", TimeSpan.FromMinutes(2));

        var error = await FailureAsync(harness, run);
        Assert.Contains("data.", error, StringComparison.Ordinal);
        Assert.Contains("data/nodata/", error, StringComparison.Ordinal);
        Assert.Empty(await harness.Storage.ListAsync(BlobLayout.RunsContainer, $"{run.InstanceId}/jobs/", default));
    }

    [Fact]
    public async Task MismatchedShapes_RunFailsBeforeAnyJob_ErrorNamesTensorAndShapes()
    {
        await using var harness = await HostHarness.StartAsync(HostHarness.Settings(azurite, "Shapes"));
        await HostHarness.PutAsync(harness.Storage, BlobLayout.CheckpointsContainer, BlobLayout.CheckpointFile("shapes", "b", "v1", CheckpointFileNames.SingleFile),
            SafetensorsFile.Build([.. SafetensorsFile.Layout.Where(t => t.Name != "head.0.weight"), ("head.0.weight", [16, 31])], seed: 1));
        await HostHarness.DropAsync(harness.Storage, "shapes", Manifest, ["a"]);

        var run = await harness.WaitForRunAsync("shapes", TimeSpan.FromMinutes(2));

        var error = await FailureAsync(harness, run);
        Assert.Contains("head.0.weight: F32 [16, 32] in checkpoints/shapes/a/v1/model.safetensors, F32 [16, 31] in checkpoints/shapes/b/v1/model.safetensors", error,
            StringComparison.Ordinal);
        Assert.Empty(await harness.Storage.ListAsync(BlobLayout.RunsContainer, $"{run.InstanceId}/jobs/", default));
    }

    [Fact]
    public async Task ModelsWithNoTensors_RunFailsBeforeAnyJob_ErrorNamesTheSource_NothingPublished()
    {
        await using var harness = await HostHarness.StartAsync(HostHarness.Settings(azurite, "Empty"));
        await HostHarness.DropAsync(harness.Storage, "empty", Manifest, ["a", "b"], layout: []);

        var run = await harness.WaitForRunAsync("empty", TimeSpan.FromMinutes(2));

        var error = await FailureAsync(harness, run);
        Assert.Contains("checkpoints/empty/a/v1/model.safetensors: source a has no tensors", error, StringComparison.Ordinal);
        Assert.Empty(await harness.Storage.ListAsync(BlobLayout.RunsContainer, $"{run.InstanceId}/jobs/", default));
        Assert.Null(await harness.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer("empty"), 1 << 20, default));
    }

    [Fact]
    public async Task TensorPatternsMatchingNothing_RunFailsBeforeAnyJob_ErrorNamesTheField()
    {
        await using var harness = await HostHarness.StartAsync(HostHarness.Settings(azurite, "NoMatch"));
        await HostHarness.DropAsync(harness.Storage, "nomatch", "task: none\nsources: [a, b]\nmerge:\n  tensors: [\"decoder.*\"]\n", ["a", "b"]);

        var run = await harness.WaitForRunAsync("nomatch", TimeSpan.FromMinutes(2));

        var error = await FailureAsync(harness, run);
        Assert.Contains("merge.tensors: no floating-point tensor matches decoder.*", error, StringComparison.Ordinal);
        Assert.Empty(await harness.Storage.ListAsync(BlobLayout.RunsContainer, $"{run.InstanceId}/jobs/", default));
    }

    [Fact]
    public async Task JobCrashesWithoutResult_RetriedTwiceThenRunFails_LatestUnchanged()
    {
        using var scratch = new ScratchFolder();
        var script = scratch.File("crash.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\n# A job that dies before writing its result.\nexit 3\n");
        var error = await RunWithBrokenJobsAsync("crash", script, timeoutSeconds: 300);

        Assert.Contains("gave no result after 2 attempt(s)", error, StringComparison.Ordinal);
        Assert.Contains("crashed without a result: exited with code 3", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobHangsPastItsTimeout_StoppedAndRetriedThenRunFails_LatestUnchanged()
    {
        using var scratch = new ScratchFolder();
        var script = scratch.File("hang.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\n# A job that never ends.\nexec sleep 600\n");
        var error = await RunWithBrokenJobsAsync("hang", script, timeoutSeconds: 3);

        Assert.Contains("gave no result after 2 attempt(s)", error, StringComparison.Ordinal);
        Assert.Contains("past its timeout of 3 s", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TerminateOverHttp_RunTerminated_ItsJobsStopped_LatestUnchanged()
    {
        using var scratch = new ScratchFolder();
        var script = scratch.File("slow.sh");
        var marker = scratch.File("running");
        // Only this family's jobs leave a marker: the host also picks up families earlier tests left on the shared Azurite.
        await File.WriteAllTextAsync(script, $"#!/bin/sh\n# A job that runs until it is stopped, leaving a marker while it runs.\ncase \"$3\" in */terminate-*) touch {marker}.$$;; esac\nexec sleep 600\n");
        var options = HostHarness.Settings(azurite, "Terminate") with { ComputeCommand = "sh", ComputeArguments = script, LocalJobs = Cki.Workflow.Dispatch.LocalJobMode.Processes, JobTimeoutSeconds = 600, ProbeIntervalSeconds = 1 };
        await using var harness = await HostHarness.StartAsync(options);
        await HostHarness.DropAsync(harness.Storage, "terminate", Manifest, ["a", "b"]);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Directory.GetFiles(scratch.Path, "running.*").Length < 2)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), "the two profile jobs did not start");
            await Task.Delay(100);
        }

        var runId = (await harness.RunsAsync("terminate")).Single().InstanceId;
        using var http = harness.Http();
        using var response = await http.PostAsync(new Uri($"/api/runs/{runId}/terminate", UriKind.Relative), null);
        var run = await harness.WaitForRunAsync("terminate", TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, run.RuntimeStatus);
        var pids = Directory.GetFiles(scratch.Path, "running.*").Select(f => int.Parse(f[(f.LastIndexOf('.') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        foreach (var pid in pids)
        {
            Assert.True(Exited(pid), $"job process {pid} still runs after its run was terminated");
        }

        Assert.Null(await harness.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer("terminate"), 1 << 20, default));
    }

    private static bool Exited(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.WaitForExit(5000);
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    // Runs a family whose jobs are the given script, with a latest.json already published; returns the run's error.
    private async Task<string> RunWithBrokenJobsAsync(string family, string script, double timeoutSeconds)
    {
        var options = HostHarness.Settings(azurite, $"Broken{family}") with
        {
            ComputeCommand = "sh", ComputeArguments = script, LocalJobs = Cki.Workflow.Dispatch.LocalJobMode.Processes, JobTimeoutSeconds = timeoutSeconds, ProbeIntervalSeconds = 1, MaxAttempts = 2,
        };
        await using var harness = await HostHarness.StartAsync(options);
        var before = Encoding.UTF8.GetBytes("{\"run_id\": \"an earlier run\"}");
        await HostHarness.PutAsync(harness.Storage, BlobLayout.IntegratedContainer, BlobLayout.LatestPointer(family), before);
        var latestTag = (await harness.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer(family), 1 << 20, default))!.Value.ETag;
        await HostHarness.DropAsync(harness.Storage, family, Manifest, ["a", "b"]);

        var run = await harness.WaitForRunAsync(family, TimeSpan.FromMinutes(2));

        var latest = await harness.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer(family), 1 << 20, default);
        Assert.Equal(latestTag, latest!.Value.ETag);
        Assert.Equal(before, latest.Value.Content);
        return await FailureAsync(harness, run);
    }

    // The run failed: its error, from the orchestration and from runs/{runId}/summary.json, which must agree.
    private static async Task<string> FailureAsync(HostHarness harness, OrchestrationMetadata run)
    {
        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        var error = run.FailureDetails?.ErrorMessage ?? "";
        var summary = await harness.Storage.ReadSmallAsync(BlobLayout.RunsContainer, BlobLayout.RunSummary(run.InstanceId), 1 << 20, default);
        var text = Encoding.UTF8.GetString(summary!.Value.Content);
        Assert.Contains("\"outcome\": \"failed\"", text, StringComparison.Ordinal);
        Assert.Contains("failed", run.SerializedCustomStatus, StringComparison.Ordinal);
        return error.Length > 0 ? error : text;
    }
}
