using System.Text.RegularExpressions;
using Cki.Contracts.Jobs;
using Cki.Contracts.Runs;
using Cki.Contracts.Storage;
using Cki.Testing;
using Cki.Workflow.Activities;
using Cki.Workflow.Api;
using Cki.Workflow.Messages;
using Cki.Workflow.Orchestration;
using Cki.Workflow.Termination;
using Microsoft.DurableTask.Client;

namespace Cki.Workflow.Tests.Orchestration.InProcess;

/// <summary>
/// A phase with more jobs than <see cref="RunSettings.JobsPerBatch"/> runs them in <see cref="JobBatchOrchestrator"/>
/// batches (docs/scale.md): 7 splice shards in batches of 3 are batches of 3, 3 and 1 jobs. On the in-process Durable
/// Task host: the real orchestrators and activities, scripted jobs.
/// </summary>
public sealed partial class BatchTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const int Shards = 7;

    [Fact]
    public async Task Run_MoreJobsThanOneBatch_SameOutputsAndRecordsAsInOneOrchestration()
    {
        await using var workflow = await InProcessWorkflow.StartAsync(azurite);
        // Probes every 30 s: a result event that did not reach the orchestration waiting for its job would hold the run past EndedAsync's 60 s.
        var whole = await TinyFamily.DropAsync(workflow.Storage, "whole", TinyFamily.Batched(0, probeIntervalSeconds: 30), Shards, tensors: Shards);
        var batched = await TinyFamily.DropAsync(workflow.Storage, "batched", TinyFamily.Batched(3, probeIntervalSeconds: 30), Shards, tensors: Shards);

        await workflow.StartAsync(whole);
        await workflow.StartAsync(batched);
        var (wholeRun, batchedRun) = (await workflow.EndedAsync(whole.RunId), await workflow.EndedAsync(batched.RunId));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, wholeRun.RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, batchedRun.RuntimeStatus);
        string[] jobIds = ["profile-a", "profile-b", "splice-00001", "splice-00002", "splice-00003", "splice-00004", "splice-00005", "splice-00006", "splice-00007"];
        Assert.Equal(jobIds, Records(wholeRun).Select(r => r.JobId));
        Assert.Equal(Records(wholeRun), Records(batchedRun));
        Assert.Equal(await OutputsAsync(workflow, "whole", whole.RunId), await OutputsAsync(workflow, "batched", batched.RunId));
        Assert.Equal(new RunStatus("completed", 9, 9), batchedRun.ReadCustomStatusAs<RunStatus>());

        // Three batches of 3, 3 and 1 jobs, each started by the run one after another; every result event reached its batch.
        var batches = Enumerable.Range(1, 4).Select(n => workflow.Decisions.Episodes(JobBatchOrchestrator.InstanceId(batched.RunId, "splice", n))).ToList();
        Assert.Equal([3, 3, 1, 0], batches.Select(b => b.Count == 0 ? 0 : b[^1].Count(d => d.StartsWith($"activity {nameof(StartJobActivity)}", StringComparison.Ordinal))));
        Assert.All(batches.SelectMany(b => b).SelectMany(e => e), d => Assert.DoesNotContain(nameof(ProbeJobActivity), d, StringComparison.Ordinal));
        var run = workflow.Decisions.Episodes(batched.RunId)[^1];
        Assert.Equal(3, run.Count(d => d.StartsWith($"activity {nameof(StartBatchActivity)}", StringComparison.Ordinal)));
        Assert.Equal(3, run.Count(d => d.StartsWith("wait batch:", StringComparison.Ordinal)));
        Assert.DoesNotContain(run, d => d.StartsWith("wait job:splice", StringComparison.Ordinal) || d.Contains(nameof(ProbeBatchActivity), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_JobFailsInALaterBatch_RunFailsWithItsReasonAndNoLaterBatchStarts()
    {
        await using var workflow = await InProcessWorkflow.StartAsync(azurite);
        workflow.Dispatcher.Script = launch => launch.JobId == "splice-00005" ? JobOutcome.Fails : JobOutcome.Succeeds;
        workflow.Dispatcher.FailureReason = "tensor t04: shapes [4] and [5] differ";
        var request = await TinyFamily.DropAsync(workflow.Storage, "laterfails", TinyFamily.Batched(3), Shards, tensors: Shards);

        await workflow.StartAsync(request);
        var run = await workflow.EndedAsync(request.RunId);

        const string Reason = "job splice-00005 (splice) failed: tensor t04: shapes [4] and [5] differ";
        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Equal(Reason, run.FailureDetails!.ErrorMessage);
        Assert.Empty(workflow.Dispatcher.StartsOf("splice-00007"));
        // Done: 2 profiles + batch 1 (3) + of batch 2 the failed one and those that ended before it (the batch fails at
        // once, it does not wait for the rest); started: 2 profiles + all 7 splices.
        var status = run.ReadCustomStatusAs<RunStatus>()!;
        Assert.Equal(("failed", 9, Reason), (status.Phase, status.JobsTotal, status.Error));
        Assert.InRange(status.JobsDone, 6, 8);
        var summary = await workflow.Storage.ReadSmallAsync(BlobLayout.RunsContainer, BlobLayout.RunSummary(request.RunId), 1 << 20, default);
        var written = JobJson.Deserialize<RunSummary>(summary!.Value.Content, "summary.json");
        Assert.Equal(("failed", Reason), (written.Outcome, written.Error));
        Assert.Equal(["splice-00005"], written.Jobs.Where(j => !j.Succeeded).Select(j => j.JobId));
        Assert.Equal(status.JobsDone, written.Jobs.Count);
        Assert.Null(await workflow.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer("laterfails"), 1 << 20, default));
    }

    [Fact]
    public async Task Status_DuringALaterBatch_CountsTheJobsTheBatchHasDone()
    {
        await using var workflow = await InProcessWorkflow.StartAsync(azurite);
        var (request, batch) = await StartUntilBatchTwoWaitsAsync(workflow, "progress");
        var queries = new RunQueries(workflow.Client, workflow.Storage, workflow.Dispatcher);

        var view = (await queries.GetAsync(request.RunId, default))!.Run;
        var listed = await queries.ListAsync("progress", null, null, null, default);
        var all = await queries.ListAsync(null, null, null, null, default);
        await queries.TerminateAsync(request.RunId, "the test has seen enough", default);

        // 2 profiles + batch 1's 3 + batch 2's 2 done, of 2 profiles + 7 splices started.
        Assert.Equal(new RunStatus("splice", 7, 9, null, batch), view.Progress);
        Assert.Equal([request.RunId], listed.Select(r => r.RunId));
        Assert.DoesNotContain(all, r => JobBatchOrchestrator.IsBatchInstance(r.RunId));
    }

    [Fact]
    public async Task Terminate_DuringABatch_RunAndBatchEndAndNothingMoreStarts()
    {
        await using var workflow = await InProcessWorkflow.StartAsync(azurite);
        var (request, batch) = await StartUntilBatchTwoWaitsAsync(workflow, "haltbatch");

        var outcome = await new RunTerminator(workflow.Client, workflow.Storage, workflow.Dispatcher).TerminateAsync(request.RunId, "a test stops it", default);
        var run = await workflow.EndedAsync(request.RunId);
        var ended = await workflow.EndedAsync(batch);
        var starts = workflow.Dispatcher.Starts.Count;
        await Task.Delay(TimeSpan.FromSeconds(1)); // five probe intervals: a batch still alive would probe, retry or go on

        Assert.Equal(new TerminationOutcome(true, true, 1, 5), outcome);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, run.RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, ended.RuntimeStatus);
        Assert.Equal($"job splice-00005 (splice) was not started: the run {request.RunId} was terminated.", ended.ReadOutputAs<JobBatchOutcome>()!.Error);
        Assert.Equal([1], workflow.Dispatcher.StartsOf("splice-00005").Select(s => s.Attempt));
        Assert.Empty(workflow.Dispatcher.StartsOf("splice-00007"));
        Assert.Equal(starts, workflow.Dispatcher.Starts.Count);
        Assert.Empty(await workflow.Storage.ListAsync(BlobLayout.IntegratedContainer, BlobLayout.IntegratedRunPrefix("haltbatch", request.RunId), default));
        Assert.Null(await workflow.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer("haltbatch"), 1 << 20, default));
    }

    // Starts a run whose splice-00005 hangs and returns once batch 2 has finished splice-00004 and splice-00006.
    private static async Task<(RunRequest Request, string Batch)> StartUntilBatchTwoWaitsAsync(InProcessWorkflow workflow, string family)
    {
        workflow.Dispatcher.Script = launch => launch.JobId == "splice-00005" ? JobOutcome.Hangs : JobOutcome.Succeeds;
        var request = await TinyFamily.DropAsync(workflow.Storage, family, TinyFamily.Batched(3), Shards, tensors: Shards);
        var batch = JobBatchOrchestrator.InstanceId(request.RunId, "splice", 2);
        await workflow.StartAsync(request);
        await workflow.WaitUntilAsync(batch, b => RunStatus.Parse(b.SerializedCustomStatus)?.JobsDone == 2, "two jobs into batch 2");
        return (request, batch);
    }

    // The summary's job records, in job order (a fan-out records them in the order they end).
    private static IReadOnlyList<JobRecord> Records(OrchestrationMetadata run) =>
        [.. run.ReadOutputAs<RunSummary>()!.Jobs.OrderBy(j => j.JobId, StringComparer.Ordinal)];

    // The run's output folder: every file's name under it and its lines in order, without what differs between two drops of
    // the same bytes (the run id, the family, the blobs' ETags and times) and the order of the jobs' records (the order they ended).
    private static async Task<IReadOnlyList<(string Name, string Lines)>> OutputsAsync(InProcessWorkflow workflow, string family, string runId)
    {
        var prefix = BlobLayout.IntegratedRunPrefix(family, runId);
        var files = new List<(string, string)>();
        foreach (var blob in (await workflow.Storage.ListAsync(BlobLayout.IntegratedContainer, prefix, default)).OrderBy(b => b.Name, StringComparer.Ordinal))
        {
            var read = await workflow.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, blob.Name, 1 << 20, default);
            var text = System.Text.Encoding.UTF8.GetString(read!.Value.Content).Replace(runId, "{run}", StringComparison.Ordinal).Replace(family, "{family}", StringComparison.Ordinal);
            text = DropSpecific().Replace(text, "{specific}");
            files.Add((blob.Name[prefix.Length..], string.Join('\n', text.Split('\n').Order(StringComparer.Ordinal))));
        }

        return files;
    }

    [GeneratedRegex(@"0x[0-9A-F]{15}|""last_modified"": ""[^""]*""")]
    private static partial Regex DropSpecific();
}
