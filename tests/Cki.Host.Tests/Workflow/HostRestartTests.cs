using System.Diagnostics;
using System.Text.Json;
using Cki.Contracts.Storage;
using Cki.Host.Tests.Support;
using Cki.Testing;
using Cki.Testing.Builders;
using Cki.Workflow.Storage;

namespace Cki.Host.Tests.Workflow;

/// <summary>
/// The host process killed in the middle of a run (with its jobs) and started again: the run finishes, no finished job
/// re-runs, and only jobs that had started count a second attempt.
/// </summary>
[Collection(WorkflowTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed class HostRestartTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task HostKilledMidRun_RestartedHostFinishesRun_FinishedJobsNotRerun_QueuedJobsStillFirstAttempt()
    {
        const string family = "restart";
        var storage = new WorkflowStorage(azurite.ConnectionString);
        await HostHarness.ClearCheckpointsAsync(storage);
        using (var first = HostProcess.Start(azurite))
        {
            await HostHarness.DropAsync(storage, family, FamilyManifestBuilder.DataFree("a", "b").Shards(5).Build(), ["a", "b"]);
            await HostHarness.WaitUntilAsync(async () => (await Results(storage)).Count >= 3, TimeSpan.FromMinutes(2), "3 finished jobs before the kill");
        }

        // Killed (the process and its jobs, no graceful stop): what had finished is what must not run again; what had
        // started is attempt 2 after the restart; what was still queued never started and is still attempt 1.
        var finished = await Results(storage);
        var started = (await storage.ListAsync(BlobLayout.RunsContainer, "restart-", default)).Where(b => b.Name.EndsWith("/started.json", StringComparison.Ordinal))
            .Select(b => b.Name.Split('/')[2]).ToHashSet(StringComparer.Ordinal);
        Assert.Null(await storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer(family), 1 << 20, default));
        using (HostProcess.Start(azurite))
        {
            await HostHarness.WaitUntilAsync(async () => await storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer(family), 1 << 20, default) is not null,
                TimeSpan.FromMinutes(3), "latest.json after the restart");
        }

        var after = await Results(storage);
        foreach (var (name, etag) in finished)
        {
            Assert.True(after[name] == etag, $"{name} was written again after the restart");
        }

        var latest = await storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer(family), 1 << 20, default);
        var runId = JsonDocument.Parse(latest!.Value.Content).RootElement.GetProperty("run_id").GetString()!;
        var summary = JsonDocument.Parse((await storage.ReadSmallAsync(BlobLayout.RunsContainer, BlobLayout.RunSummary(runId), 1 << 20, default))!.Value.Content).RootElement;
        Assert.Equal("completed", summary.GetProperty("outcome").GetString());
        var jobs = summary.GetProperty("jobs").EnumerateArray().ToDictionary(j => j.GetProperty("job_id").GetString()!, j => j.GetProperty("attempts").GetInt32());
        Assert.Equal(7, jobs.Count); // 2 profiles + 5 splices
        var done = finished.Keys.Select(name => BlobLayout.TryParseJobResult(name, out _, out var jobId) ? jobId : throw new InvalidOperationException(name)).ToHashSet();
        foreach (var jobId in done)
        {
            Assert.Equal(1, jobs[jobId]);
        }

        var neverStarted = jobs.Keys.Where(j => !started.Contains(j)).ToList();
        Assert.True(neverStarted.Count >= 2, $"only {neverStarted.Count} job(s) were still queued at the kill; the test proves nothing");
        foreach (var jobId in neverStarted)
        {
            Assert.True(jobs[jobId] == 1, $"{jobId} never started before the kill, yet its run counted {jobs[jobId]} attempts");
        }

        foreach (var jobId in started.Except(done))
        {
            Assert.Equal(2, jobs[jobId]);
        }
    }

    private static async Task<Dictionary<string, string>> Results(WorkflowStorage storage) =>
        (await storage.ListAsync(BlobLayout.RunsContainer, "restart-", default)).Where(b => b.Name.EndsWith("/result.json", StringComparison.Ordinal))
            .ToDictionary(b => b.Name, b => b.ETag);

    /// <summary>cki-host serve as a child process; disposing it kills it and its jobs without a graceful stop.</summary>
    private sealed class HostProcess : IDisposable
    {
        private readonly Process _process;

        private HostProcess(Process process) => _process = process;

        public static HostProcess Start(AzuriteFixture azurite)
        {
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[]
            {
                Path.Combine(AppContext.BaseDirectory, "cki-host.dll"), "serve", $"--Cki:Storage={azurite.ConnectionString}", "--Cki:TaskHub=Restart",
                "--Cki:Urls=http://127.0.0.1:0", $"--Cki:ComputeArguments={HostHarness.ComputeDll}", "--Cki:ProbeIntervalSeconds=1", "--Cki:LeaseSeconds=6", "--Cki:QueueVisibilitySeconds=10",
                "--Cki:PollSeconds=0.5", "--Cki:NightlySchedule=", "--Cki:AzuriteLocation=", "--Cki:MaxAttempts=3", "--Cki:MaxConcurrentJobs=1",
                // A process per job (about a second each): warm workers finish this tiny family's jobs so fast that all of them
                // may have started before the kill lands, and the test would prove nothing.
                "--Cki:LocalJobs=processes",
                $"--Cki:LogFolder={Path.Combine(Path.GetTempPath(), "cki-host-tests", "Restart")}", "--Logging:LogLevel:Default=Warning",
            })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start)!;
            var log = TextWriter.Synchronized(new StreamWriter(Path.Combine(Path.GetTempPath(), "cki-host-tests", $"restart-host-{process.Id}.log")) { AutoFlush = true });
            process.OutputDataReceived += (_, e) => log.WriteLine(e.Data);
            process.ErrorDataReceived += (_, e) => log.WriteLine(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new HostProcess(process);
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }

            _process.Dispose();
        }
    }
}
