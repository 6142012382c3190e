using Cki.Contracts.Jobs;
using Cki.Contracts.Runs;
using Cki.Contracts.Storage;
using Cki.Testing;
using Cki.Workflow.Activities;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Messages;
using Microsoft.DurableTask.Client;

namespace Cki.Workflow.Tests.Orchestration.InProcess;

/// <summary>
/// How the orchestrator's <c>JobTracker</c> waits for jobs (docs/architecture.md, "Waiting for a job"), on the in-process
/// Durable Task host: the real orchestrator and activities, scripted jobs.
/// </summary>
public sealed class JobWaitTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_EveryJobSucceeds_CompletesAndPublishes(bool grouped)
    {
        await using var workflow = await InProcessWorkflow.StartAsync(azurite);
        var request = await TinyFamily.DropAsync(workflow.Storage, TinyFamily.Named("ok", grouped), TinyFamily.Fast(grouped: grouped));

        await workflow.StartAsync(request);
        var run = await workflow.EndedAsync(request.RunId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal("completed", run.ReadOutputAs<RunSummary>()!.Outcome);
        Assert.Equal(TinyFamily.JobIds, workflow.Dispatcher.Starts.Select(s => s.JobId).Order(StringComparer.Ordinal));
        Assert.NotNull(await workflow.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer(TinyFamily.Named("ok", grouped)), 1 << 20, default));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_ResultEventLost_ProbeFindsTheResultAndTheRunCompletes(bool grouped)
    {
        await using var workflow = await InProcessWorkflow.StartAsync(azurite);
        workflow.Dispatcher.Script = launch => launch.JobId == "profile-a" ? JobOutcome.SucceedsEventLost : JobOutcome.Succeeds;
        var request = await TinyFamily.DropAsync(workflow.Storage, TinyFamily.Named("lostevent", grouped), TinyFamily.Fast(grouped: grouped));

        await workflow.StartAsync(request);
        var run = await workflow.EndedAsync(request.RunId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Single(workflow.Dispatcher.StartsOf("profile-a"));
        Assert.Contains(Last(workflow, request.RunId), d => d.StartsWith($"activity {nameof(ProbeJobActivity)}", StringComparison.Ordinal) && d.Contains("profile-a", StringComparison.Ordinal));
        Assert.Equal(1, Record(run, "profile-a").Attempts);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_JobLostBeforeItBegan_StartedAgainAsTheSameAttempt(bool grouped)
    {
        await using var workflow = await InProcessWorkflow.StartAsync(azurite);
        var lost = 0;
        workflow.Dispatcher.Script = launch => launch.JobId == "profile-b" && Interlocked.Increment(ref lost) == 1 ? JobOutcome.LostBeforeStart : JobOutcome.Succeeds;
        var request = await TinyFamily.DropAsync(workflow.Storage, TinyFamily.Named("lostprobe", grouped), TinyFamily.Fast(maxAttempts: 1, grouped: grouped));

        await workflow.StartAsync(request);
        var run = await workflow.EndedAsync(request.RunId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal([1, 1], workflow.Dispatcher.StartsOf("profile-b").Select(s => s.Attempt));
        Assert.Equal(1, Record(run, "profile-b").Attempts);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_JobLostAfterItBegan_CountsAsAnAttemptAndIsStartedAgain(bool grouped)
    {
        await using var workflow = await InProcessWorkflow.StartAsync(azurite);
        workflow.Dispatcher.Script = launch => launch.JobId == "profile-b" && launch.Attempt == 1 ? JobOutcome.LostAfterStart : JobOutcome.Succeeds;
        var request = await TinyFamily.DropAsync(workflow.Storage, TinyFamily.Named("lostafter", grouped), TinyFamily.Fast(grouped: grouped));

        await workflow.StartAsync(request);
        var run = await workflow.EndedAsync(request.RunId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal([1, 2], workflow.Dispatcher.StartsOf("profile-b").Select(s => s.Attempt));
        Assert.Equal(2, Record(run, "profile-b").Attempts);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_JobCrashesThenSucceeds_RetriedAndCompletes(bool grouped)
    {
        await using var workflow = await InProcessWorkflow.StartAsync(azurite);
        workflow.Dispatcher.Script = launch => launch.JobId == "splice-00001" && launch.Attempt == 1 ? JobOutcome.Crashes : JobOutcome.Succeeds;
        var request = await TinyFamily.DropAsync(workflow.Storage, TinyFamily.Named("crash", grouped), TinyFamily.Fast(grouped: grouped));

        await workflow.StartAsync(request);
        var run = await workflow.EndedAsync(request.RunId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal([1, 2], workflow.Dispatcher.StartsOf("splice-00001").Select(s => s.Attempt));
        Assert.Equal(2, Record(run, "splice-00001").Attempts);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_TimerWinsUntilTheJobTimesOut_EveryAttemptUsedThenTheRunFails(bool grouped)
    {
        await using var workflow = await InProcessWorkflow.StartAsync(azurite);
        workflow.Dispatcher.Script = launch => launch.JobId == "profile-a" ? JobOutcome.Hangs : JobOutcome.Succeeds;
        var request = await TinyFamily.DropAsync(workflow.Storage, TinyFamily.Named("hang", grouped), TinyFamily.Fast(jobTimeoutSeconds: 0.5, maxAttempts: 2, grouped: grouped));

        await workflow.StartAsync(request);
        var run = await workflow.EndedAsync(request.RunId);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Equal(
            "job profile-a (profile) gave no result after 2 attempt(s): attempt 1: ran past its timeout of 0.5 s; stopped; attempt 2: ran past its timeout of 0.5 s; stopped",
            run.FailureDetails!.ErrorMessage);
        Assert.Equal(2, workflow.Dispatcher.StartsOf("profile-a").Count);
        Assert.DoesNotContain(workflow.Dispatcher.Starts, s => s.JobId.StartsWith("splice-", StringComparison.Ordinal));
        // Each attempt: the timer won, the probe said "running" twice and the tracker waited again, then it timed out.
        Assert.Equal(6, Last(workflow, request.RunId).Count(d => d.StartsWith($"activity {nameof(ProbeJobActivity)}", StringComparison.Ordinal) && d.Contains("profile-a", StringComparison.Ordinal)));
    }

    // One throttled answer of the Kubernetes API (after the client's own retries) must not fail a whole run: the probe is a
    // transient step failure, run again by StepRetries, and the attempt goes on.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_ProbeFindsTheKubernetesApiThrottled_ProbeRetriedAndTheRunCompletes(bool grouped)
    {
        await using var workflow = await InProcessWorkflow.StartAsync(azurite);
        workflow.Dispatcher.Script = launch => launch.JobId == "splice-00001" && launch.Attempt == 1 ? JobOutcome.Crashes : JobOutcome.Succeeds;
        var throttled = 0;
        workflow.Dispatcher.ProbeError = jobId => jobId == "splice-00001" && Interlocked.Increment(ref throttled) == 1
            ? new KubernetesUnavailableException("The Kubernetes API server at https://aks.invalid was asked to read Jobs 4 times and answered 429 TooManyRequests every time.")
            : null;
        var request = await TinyFamily.DropAsync(workflow.Storage, TinyFamily.Named("throttled", grouped), TinyFamily.Fast(grouped: grouped));

        await workflow.StartAsync(request);
        var run = await workflow.EndedAsync(request.RunId);

        Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{run.RuntimeStatus}: {run.FailureDetails?.ErrorMessage}");
        Assert.True(throttled >= 2, "the probe was not asked again");
        Assert.Equal([1, 2], workflow.Dispatcher.StartsOf("splice-00001").Select(s => s.Attempt)); // the throttling cost no attempt
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_FirstStartThrows_CountsAsAFailedAttemptAndTheNextAttemptSucceeds(bool grouped)
    {
        await using var workflow = await InProcessWorkflow.StartAsync(azurite);
        workflow.Dispatcher.StartError = launch => launch.JobId == "profile-a" && launch.Attempt == 1 ? Unreachable() : null;
        var request = await TinyFamily.DropAsync(workflow.Storage, TinyFamily.Named("startfails", grouped), TinyFamily.Fast(grouped: grouped));

        await workflow.StartAsync(request);
        var run = await workflow.EndedAsync(request.RunId);

        Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{run.RuntimeStatus}: {run.FailureDetails?.ErrorMessage}");
        // The failed start used up attempt 1 (not retried as the same attempt); attempt 2 started and succeeded.
        Assert.Equal([1], workflow.Dispatcher.RefusedOf("profile-a").Select(s => s.Attempt));
        Assert.Equal([2], workflow.Dispatcher.StartsOf("profile-a").Select(s => s.Attempt));
        Assert.Equal(2, Record(run, "profile-a").Attempts);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_EveryStartThrows_EveryAttemptUsedThenTheRunFailsWithTheReason(bool grouped)
    {
        await using var workflow = await InProcessWorkflow.StartAsync(azurite);
        workflow.Dispatcher.StartError = launch => launch.JobId == "profile-b" ? Unreachable() : null;
        var request = await TinyFamily.DropAsync(workflow.Storage, TinyFamily.Named("neverstarts", grouped), TinyFamily.Fast(maxAttempts: 2, grouped: grouped));

        await workflow.StartAsync(request);
        var run = await workflow.EndedAsync(request.RunId);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        const string Reason = "not started: " + UnreachableMessage;
        Assert.Equal($"job profile-b (profile) gave no result after 2 attempt(s): attempt 1: {Reason}; attempt 2: {Reason}", run.FailureDetails!.ErrorMessage);
        Assert.Equal([1, 2], workflow.Dispatcher.RefusedOf("profile-b").Select(s => s.Attempt));
        Assert.DoesNotContain(workflow.Dispatcher.Starts, s => s.JobId.StartsWith("splice-", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_JobReportsFailure_RunFailsWithItsReasonAtOnce(bool grouped)
    {
        await using var workflow = await InProcessWorkflow.StartAsync(azurite);
        workflow.Dispatcher.Script = launch => launch.JobId == "splice-00001" ? JobOutcome.Fails : JobOutcome.Succeeds;
        workflow.Dispatcher.FailureReason = "tensor w: shapes [4] and [5] differ";
        var request = await TinyFamily.DropAsync(workflow.Storage, TinyFamily.Named("fails", grouped), TinyFamily.Fast(grouped: grouped));

        await workflow.StartAsync(request);
        var run = await workflow.EndedAsync(request.RunId);

        const string Reason = "job splice-00001 (splice) failed: tensor w: shapes [4] and [5] differ";
        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Equal(Reason, run.FailureDetails!.ErrorMessage);
        Assert.Single(workflow.Dispatcher.StartsOf("splice-00001"));
        Assert.Equal(new RunStatus("failed", 3, 3, Reason), run.ReadCustomStatusAs<RunStatus>());
        var summary = await workflow.Storage.ReadSmallAsync(BlobLayout.RunsContainer, BlobLayout.RunSummary(request.RunId), 1 << 20, default);
        var written = JobJson.Deserialize<RunSummary>(summary!.Value.Content, "summary.json");
        Assert.Equal(("failed", Reason), (written.Outcome, written.Error));
        Assert.Null(await workflow.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer(TinyFamily.Named("fails", grouped)), 1 << 20, default));
    }

    private const string UnreachableMessage = "The Kubernetes API server at https://aks.invalid could not be reached to create Jobs after 3 tries: Connection refused";

    // What the Kubernetes dispatcher throws once its own retries are used up.
    private static HttpRequestException Unreachable() => new(UnreachableMessage);

    private static IReadOnlyList<string> Last(InProcessWorkflow workflow, string runId) => workflow.Decisions.Episodes(runId)[^1];

    private static JobRecord Record(OrchestrationMetadata run, string jobId) => run.ReadOutputAs<RunSummary>()!.Jobs.Single(j => j.JobId == jobId);
}
