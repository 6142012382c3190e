using System.Text;
using Azure.Storage.Blobs;
using Cki.Compute.Demo;
using Cki.Compute.Tests.Cli;
using Cki.Contracts.Jobs;
using Cki.Contracts.Storage;
using Cki.Testing;
using Cki.Testing.Builders;

namespace Cki.Compute.Tests.Jobs;

/// <summary>
/// <c>cki-compute worker</c> as a real process: jobs through it write what <c>cki-compute job</c> writes, a bad message
/// is answered and the worker goes on, a job is cancelled without ending the worker, and the worker exits when idle or
/// when its input closes.
/// </summary>
public sealed class WorkerCommandTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Worker_SpliceThenEvaluate_SameOutputsAndResultsAsAJobProcessEach()
    {
        var blobs = await JobBlobs.SetUpAsync(azurite.Blobs, "twin", FamilyManifestBuilder.DataFree("a", "b").Build());
        await JobBlobs.SetUpAsync(blobs, "twin-eval", "task: synthetic\nsources: [a, b]\nevaluation:\n  metrics: [auc, accuracy]\n", trained: true);
        JobSpec[] specs =
        [
            new SpliceJobSpec
            {
                RunId = "twin-run", JobId = "splice-00001", Family = "twin", Manifest = "runs/twin-run/cki.yaml",
                Inputs = ["checkpoints/twin/a/v1/model.safetensors", "checkpoints/twin/b/v1/model.safetensors"],
                Shard = 1, ShardCount = 1, Tensors = DemoFamily.Layout.Select(t => t.Name).ToList(), OutputFolder = "integrated/twin/twin-run/",
            },
            new EvaluateJobSpec
            {
                RunId = "twin-eval-run", JobId = "evaluate-baseline-average", Family = "twin-eval", Manifest = "runs/twin-eval-run/cki.yaml",
                Inputs = ["checkpoints/twin-eval/a/v1/model.safetensors", "checkpoints/twin-eval/b/v1/model.safetensors"],
                Target = "baseline average", Baseline = "average",
            },
        ];
        var byProcess = new List<(JobResult Result, Dictionary<string, byte[]> Outputs)>();
        foreach (var spec in specs)
        {
            await JobBlobs.Upload(blobs, "runs", BlobLayout.JobSpec(spec.RunId, spec.JobId), JobJson.Serialize(spec));
            var (exit, _, stderr) = CkiComputeProcess.Run(Environment(), "job", "--spec", SpecUrl(blobs, spec));
            Assert.True(exit == 0, stderr);
            byProcess.Add(await TakeOutputsAsync(blobs, spec));
        }

        using var worker = new WorkerSession(Environment());
        var byWorker = new List<(JobResult Result, Dictionary<string, byte[]> Outputs)>();
        var logs = new List<List<WorkerMessage>>();
        foreach (var spec in specs)
        {
            worker.Run(spec.JobId, SpecUrl(blobs, spec));
            logs.Add(await worker.UntilAsync(WorkerMessage.Ended));
            byWorker.Add(await TakeOutputsAsync(blobs, spec));
        }

        for (var i = 0; i < specs.Length; i++)
        {
            var (processResult, processOutputs) = byProcess[i];
            var (workerResult, workerOutputs) = byWorker[i];
            Assert.True(workerResult.Succeeded, workerResult.Error);
            Assert.Equal(0, logs[i][^1].ExitCode);
            Assert.Equal(WorkerMessage.Started, logs[i].First(m => m.Type != WorkerMessage.Ready).Type);
            Assert.Contains(logs[i], m => m.Type == WorkerMessage.Log && m.Text!.Contains($"job {specs[i].JobId}] succeeded", StringComparison.Ordinal));
            Assert.Equal(processResult.Outputs, workerResult.Outputs);
            Assert.Equal(processResult.Figures, workerResult.Figures);
            Assert.NotEmpty(processOutputs);
            foreach (var (name, bytes) in processOutputs)
            {
                Assert.True(bytes.AsSpan().SequenceEqual(workerOutputs[name]), $"{name} differs between the job process and the worker");
            }
        }
    }

    [Fact]
    public async Task Worker_BadOversizedAndMisplacedMessages_AnsweredWithErrors_ThenRunsAJob()
    {
        var blobs = await JobBlobs.SetUpAsync(azurite.Blobs, "after-errors", FamilyManifestBuilder.DataFree("a", "b").Build());
        var spec = new ProfileJobSpec
        {
            RunId = "after-errors-run", JobId = "profile-a", Family = "after-errors", Manifest = "runs/after-errors-run/cki.yaml",
            Inputs = ["checkpoints/after-errors/a/v1/model.safetensors"], Checkpoint = "checkpoints/after-errors/a/v1/model.safetensors",
        };
        await JobBlobs.Upload(blobs, "runs", BlobLayout.JobSpec(spec.RunId, spec.JobId), JobJson.Serialize<JobSpec>(spec));
        using var worker = new WorkerSession(Environment());
        Assert.Equal(WorkerMessage.Ready, (await worker.NextAsync()).Type);

        worker.Write(Encoding.UTF8.GetBytes("run profile-a now\n"));
        var notJson = await worker.NextAsync();
        worker.Write([.. Encoding.UTF8.GetBytes("{\"type\":\"run\",\"job\":\"x\",\"spec\":\""), .. new byte[WorkerProtocol.MaxLineBytes], .. "\"}\n"u8.ToArray()]);
        var oversized = await worker.NextAsync();
        worker.Write(Encoding.UTF8.GetBytes("{\"type\":\"run\",\"job\":\"profile-a\"}\n"));
        var noSpec = await worker.NextAsync();
        worker.Send(new WorkerMessage { Type = WorkerMessage.Cancel, Job = "profile-b" });
        var notRunning = await worker.NextAsync();
        worker.Send(new WorkerMessage { Type = WorkerMessage.Ended, Job = "profile-a", ExitCode = 0 });
        var misplaced = await worker.NextAsync();
        worker.Run(spec.JobId, SpecUrl(blobs, spec));
        var run = await worker.UntilAsync(WorkerMessage.Ended);

        Assert.All([notJson, oversized, noSpec, notRunning, misplaced], m => Assert.Equal(WorkerMessage.Error, m.Type));
        Assert.Contains("not a message object", notJson.Text, StringComparison.Ordinal);
        Assert.Contains($"over the limit of {WorkerProtocol.MaxLineBytes}", oversized.Text, StringComparison.Ordinal);
        Assert.Contains("'spec' is missing", noSpec.Text, StringComparison.Ordinal);
        Assert.Contains("'profile-b': it is not running here", notRunning.Text, StringComparison.Ordinal);
        Assert.Contains("a worker sends", misplaced.Text, StringComparison.Ordinal);
        var result = JobJson.Deserialize<JobResult>(await JobBlobs.Download(blobs, "runs", BlobLayout.JobResult(spec.RunId, spec.JobId)), "result.json");
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal((WorkerMessage.Started, 0), (run[0].Type, run[^1].ExitCode));
    }

    [Fact]
    public async Task Worker_CancelJobStalledOnStorage_Ends130_RefusesASecondJobMeanwhile_NextJobRunsInTheSameProcess()
    {
        using var silent = new SilentStorage();
        using var worker = new WorkerSession(new Dictionary<string, string> { [ComputeVariables.StorageConnectionString] = silent.ConnectionString });
        Assert.Equal(WorkerMessage.Ready, (await worker.NextAsync()).Type);

        worker.Run("stalled-1", silent.SpecUrl("stalled", "profile-a").ToString());
        var started = await worker.NextAsync();
        worker.Run("stalled-2", silent.SpecUrl("stalled", "profile-b").ToString());
        var busy = (await worker.UntilAsync(WorkerMessage.Error))[^1];
        worker.Send(new WorkerMessage { Type = WorkerMessage.Cancel, Job = "stalled-1" });
        var cancelled = await worker.UntilAsync(WorkerMessage.Ended);
        worker.Run("stalled-3", silent.SpecUrl("stalled", "profile-c").ToString());
        var next = await worker.NextAsync();

        Assert.Equal((WorkerMessage.Started, "stalled-1"), (started.Type, started.Job));
        Assert.Contains("job 'stalled-1' is running", busy.Text, StringComparison.Ordinal);
        Assert.Equal(("stalled-1", 130), (cancelled[^1].Job, cancelled[^1].ExitCode));
        Assert.Contains(cancelled, m => m.Type == WorkerMessage.Log && m.Text == "cki-compute: cancelled");
        Assert.Equal((WorkerMessage.Started, "stalled-3"), (next.Type, next.Job));
        Assert.False(worker.Process.HasExited);
    }

    [Fact]
    public async Task Worker_InputClosedWhileAJobRuns_JobCancelledAndWorkerExits0()
    {
        using var silent = new SilentStorage();
        using var worker = new WorkerSession(new Dictionary<string, string> { [ComputeVariables.StorageConnectionString] = silent.ConnectionString });
        worker.Run("stalled", silent.SpecUrl("closed", "profile-a").ToString());
        await worker.UntilAsync(WorkerMessage.Started);

        worker.Process.StandardInput.Close();

        Assert.Equal(0, await worker.ExitCodeAsync());
    }

    [Fact]
    public async Task Worker_NoJobForItsIdleTime_Exits0()
    {
        using var worker = new WorkerSession(new Dictionary<string, string>(), idleSeconds: 1);

        var ready = await worker.NextAsync();

        Assert.Equal((WorkerMessage.Ready, worker.Process.Id), (ready.Type, ready.ProcessId));
        Assert.Equal(0, await worker.ExitCodeAsync());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("soon")]
    public void Worker_BadIdleSeconds_ErrorNamingTheOption(string value)
    {
        var (exit, _, stderr) = CkiComputeProcess.Run(null, "worker", "--idle-seconds", value);

        Assert.NotEqual(0, exit);
        Assert.Contains("--idle-seconds", stderr, StringComparison.Ordinal);
    }

    // The job's result and outputs, read and then deleted, so that the next run of the same spec writes them anew.
    private static async Task<(JobResult Result, Dictionary<string, byte[]> Outputs)> TakeOutputsAsync(BlobServiceClient blobs, JobSpec spec)
    {
        var resultName = BlobLayout.Qualified(BlobLayout.RunsContainer, BlobLayout.JobResult(spec.RunId, spec.JobId));
        var result = JobJson.Deserialize<JobResult>(await JobBlobs.Download(blobs, resultName), resultName);
        var outputs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in result.Outputs)
        {
            outputs[name] = await JobBlobs.Download(blobs, name);
            await JobBlobs.Delete(blobs, name);
        }

        await JobBlobs.Delete(blobs, resultName);
        return (result, outputs);
    }

    private static string SpecUrl(BlobServiceClient blobs, JobSpec spec) => JobBlobs.Url(blobs, "runs", BlobLayout.JobSpec(spec.RunId, spec.JobId));

    private Dictionary<string, string> Environment() => new() { [ComputeVariables.StorageConnectionString] = azurite.ConnectionString };
}
