using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Cki.Contracts.Jobs;
using Cki.Testing;
using Cki.Workflow.Activities;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Messages;
using Cki.Workflow.Storage;

namespace Cki.Workflow.Tests.Dispatch;

/// <summary>
/// The local dispatcher on warm workers, with real <c>cki-compute worker</c> processes: a killed worker loses only its
/// job, which the run's probe sees crashed, and the next job gets a fresh worker; a cancelled job leaves its worker
/// running for the next job; an idle worker exits and is replaced.
/// </summary>
public sealed partial class WorkerDispatchTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task WorkerKilledMidJob_ProbeSeesItCrashedWithoutResult_NextJobGetsAFreshWorker()
    {
        using var scratch = new ScratchFolder();
        using var silent = new SilentStorage();
        var logger = new RecordingLogger<LocalProcessDispatcher>();
        using var dispatcher = Dispatcher(scratch, logger);
        await dispatcher.StartAsync(new JobLaunch("kill-run", "profile-a", 1, silent.SpecUrl("kill-run", "profile-a")), default);
        await WaitForLogAsync(scratch, "kill-run", "profile-a", "job: device cpu"); // the worker has taken the job
        var killed = StartedPid(logger, "profile-a");

        Process.GetProcessById(killed).Kill();
        await WaitUntilAsync(async () => (await dispatcher.ProbeAsync("kill-run", "profile-a", TimeSpan.FromHours(1), default)).State == JobState.Exited, "the job ended");
        var check = await new ProbeJobActivity(new WorkflowStorage(azurite.ConnectionString), dispatcher).RunAsync(null!, new JobProbeRequest("kill-run", "profile-a", 3600));
        await dispatcher.StartAsync(new JobLaunch("kill-run", "profile-b", 1, MissingSpec("kill-run", "profile-b")), default);
        var next = await EndedAsync(dispatcher, "kill-run", "profile-b");

        Assert.Equal((null, JobState.Exited), (check.Result, check.State));
        Assert.StartsWith("crashed without a result: its worker (pid " + killed + ") exited with code 137", check.Detail, StringComparison.Ordinal);
        Assert.NotEqual(killed, StartedPid(logger, "profile-b"));
        Assert.Equal("exited with code 1", next.Detail[..next.Detail.IndexOf(" after", StringComparison.Ordinal)]);
        Assert.Contains("profile-b/spec.json", (await ResultAsync("kill-run", "profile-b")).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelRunWhileItsJobRuns_JobStopped_WorkerStaysAndTakesTheNextJob()
    {
        using var scratch = new ScratchFolder();
        using var silent = new SilentStorage();
        var logger = new RecordingLogger<LocalProcessDispatcher>();
        using var dispatcher = Dispatcher(scratch, logger);
        await dispatcher.StartAsync(new JobLaunch("cancel-run", "profile-a", 1, silent.SpecUrl("cancel-run", "profile-a")), default);
        await WaitForLogAsync(scratch, "cancel-run", "profile-a", "job: device cpu");
        var worker = StartedPid(logger, "profile-a");

        var stopped = await dispatcher.CancelRunAsync("cancel-run", default);
        var log = await File.ReadAllTextAsync(LogPath(scratch, "cancel-run", "profile-a"));
        await dispatcher.StartAsync(new JobLaunch("other-run", "profile-a", 1, MissingSpec("other-run", "profile-a")), default);
        var next = await EndedAsync(dispatcher, "other-run", "profile-a");

        Assert.Equal(1, stopped);
        Assert.Contains("cki-compute: cancelled", log, StringComparison.Ordinal);
        Assert.Equal(worker, StartedPid(logger, "other-run job profile-a"));
        Assert.StartsWith("exited with code 1 ", next.Detail, StringComparison.Ordinal);
        Assert.False(Process.GetProcessById(worker).HasExited);
    }

    [Fact]
    public async Task WorkerIdleForItsIdleTime_Exits_NextJobGetsAFreshWorker()
    {
        using var scratch = new ScratchFolder();
        var logger = new RecordingLogger<LocalProcessDispatcher>();
        using var dispatcher = Dispatcher(scratch, logger, idleSeconds: 1);
        await dispatcher.StartAsync(new JobLaunch("idle-run", "profile-a", 1, MissingSpec("idle-run", "profile-a")), default);
        await EndedAsync(dispatcher, "idle-run", "profile-a");
        var first = StartedPid(logger, "profile-a");

        await WaitUntilAsync(() => Task.FromResult(Exited(first)), "the idle worker's exit");
        await dispatcher.StartAsync(new JobLaunch("idle-run", "profile-b", 1, MissingSpec("idle-run", "profile-b")), default);
        var next = await EndedAsync(dispatcher, "idle-run", "profile-b");

        Assert.NotEqual(first, StartedPid(logger, "profile-b"));
        Assert.StartsWith("exited with code 1 ", next.Detail, StringComparison.Ordinal);
        Assert.False((await ResultAsync("idle-run", "profile-b")).Succeeded);
    }

    [Fact]
    public async Task CancelRun_FakeWorkerThatIgnoresTheCancel_WorkerKilled()
    {
        using var scratch = new ScratchFolder();
        var script = scratch.File("deaf-worker.sh");
        // A stand-in that speaks just enough of the protocol to take a job, then reads and ignores every message.
        await File.WriteAllTextAsync(script, """
            #!/bin/sh
            echo "{\"type\":\"ready\",\"process_id\":$$}"
            read line
            job=$(printf '%s' "$line" | sed 's/.*"job":"\([^"]*\)".*/\1/')
            echo "{\"type\":\"started\",\"job\":\"$job\"}"
            while read more; do :; done
            """.Replace("\r", "", StringComparison.Ordinal));
        var logger = new RecordingLogger<LocalProcessDispatcher>();
        using var dispatcher = new LocalProcessDispatcher(new LocalDispatcherOptions { Command = "sh", Arguments = [script], MaxConcurrentJobs = 1, Jobs = LocalJobMode.Workers, WorkerIdleSeconds = 300, LogFolder = scratch.Path }, logger);
        await dispatcher.StartAsync(new JobLaunch("deaf-run", "profile-a", 1, new Uri("http://127.0.0.1:9/x/runs/deaf-run/jobs/profile-a/spec.json")), default);
        await WaitUntilAsync(async () => (await dispatcher.ProbeAsync("deaf-run", "profile-a", TimeSpan.FromHours(1), default)).State == JobState.Running, "the job running");
        var worker = StartedPid(logger, "profile-a");

        var stopped = await dispatcher.CancelRunAsync("deaf-run", default);

        Assert.Equal(1, stopped);
        Assert.True(Exited(worker), $"the worker {worker} that ignored the cancel still runs");
        Assert.Contains(logger.Lines, l => l.Contains($"job worker pid {worker} killed", StringComparison.Ordinal));
    }

    private LocalProcessDispatcher Dispatcher(ScratchFolder scratch, RecordingLogger<LocalProcessDispatcher> logger, double idleSeconds = 120)
    {
        azurite.Blobs.GetBlobContainerClient("runs").CreateIfNotExists();
        return new(new LocalDispatcherOptions
        {
            Command = "dotnet",
            Arguments = [RepositoryPaths.ComputeDll],
            MaxConcurrentJobs = 1,
            Jobs = LocalJobMode.Workers,
            WorkerIdleSeconds = idleSeconds,
            Environment = new Dictionary<string, string> { [ComputeVariables.StorageConnectionString] = azurite.ConnectionString },
            LogFolder = scratch.Path,
        }, logger);
    }

    // A spec in the test's Azurite that is not there: the job writes a failed result beside it and exits 1.
    private Uri MissingSpec(string runId, string jobId) =>
        azurite.Blobs.GetBlobContainerClient("runs").GetBlobClient(Cki.Contracts.Storage.BlobLayout.JobSpec(runId, jobId)).Uri;

    private async Task<JobResult> ResultAsync(string runId, string jobId) => JobJson.Deserialize<JobResult>(
        (await azurite.Blobs.GetBlobContainerClient("runs").GetBlobClient(Cki.Contracts.Storage.BlobLayout.JobResult(runId, jobId)).DownloadContentAsync()).Value.Content,
        "result.json");

    private static async Task<JobProbe> EndedAsync(LocalProcessDispatcher dispatcher, string runId, string jobId)
    {
        JobProbe? probe = null;
        await WaitUntilAsync(async () => (probe = await dispatcher.ProbeAsync(runId, jobId, TimeSpan.FromHours(1), default)).State == JobState.Exited, $"{jobId} ended");
        return probe!;
    }

    // The pid the dispatcher logged for the job's start (its worker's).
    private static int StartedPid(RecordingLogger<LocalProcessDispatcher> logger, string job)
    {
        var line = logger.Lines.Last(l => l.Contains(job + "]", StringComparison.Ordinal) && l.Contains("started as pid", StringComparison.Ordinal));
        return int.Parse(PidPattern().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static string LogPath(ScratchFolder scratch, string runId, string jobId) => Path.Combine(scratch.Path, runId, $"{jobId}.attempt1.log");

    private static Task WaitForLogAsync(ScratchFolder scratch, string runId, string jobId, string text) =>
        WaitUntilAsync(async () => File.Exists(LogPath(scratch, runId, jobId)) && (await ReadSharedAsync(LogPath(scratch, runId, jobId))).Contains(text, StringComparison.Ordinal),
            $"'{text}' in the log of {jobId}");

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    private static bool Exited(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.WaitForExit(TimeSpan.FromSeconds(30));
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < Patience, $"no {what} within {Patience}");
            await Task.Delay(100);
        }
    }

    [GeneratedRegex(@"started as pid (\d+)")]
    private static partial Regex PidPattern();
}
