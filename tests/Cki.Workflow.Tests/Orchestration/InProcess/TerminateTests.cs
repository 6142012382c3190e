using Cki.Contracts.Storage;
using Cki.Testing;
using Cki.Workflow.Messages;
using Cki.Workflow.Termination;
using Microsoft.DurableTask.Client;

namespace Cki.Workflow.Tests.Orchestration.InProcess;

/// <summary>A run terminated in the middle of a phase (docs/architecture.md, "Terminate"), on the in-process Durable Task host.</summary>
public sealed class TerminateTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Terminate_MidSplice_RunEndsTerminatedStartsNothingMoreAndLeavesNoOutputs(bool grouped)
    {
        await using var workflow = await InProcessWorkflow.StartAsync(azurite);
        workflow.Dispatcher.Script = launch => launch.JobId == "splice-00002" ? JobOutcome.Hangs : JobOutcome.Succeeds;
        var request = await TinyFamily.DropAsync(workflow.Storage, TinyFamily.Named("halt", grouped), TinyFamily.Fast(grouped: grouped), shards: 2);
        var outputs = BlobLayout.IntegratedRunPrefix(TinyFamily.Named("halt", grouped), request.RunId);
        await workflow.StartAsync(request);
        // Mid-phase: one splice job has written its shard, the other is still running and being probed.
        await workflow.WaitUntilAsync(request.RunId, _ => workflow.Dispatcher.StartsOf("splice-00002").Count == 1, "splicing");
        await WaitForAsync(async () => (await workflow.Storage.ListAsync(BlobLayout.IntegratedContainer, outputs, default)).Count == 1);

        var outcome = await new RunTerminator(workflow.Client, workflow.Storage, workflow.Dispatcher).TerminateAsync(request.RunId, "a test stops it", default);
        var run = await workflow.EndedAsync(request.RunId);
        var (starts, episodes) = (workflow.Dispatcher.Starts.Count, workflow.Decisions.Episodes(request.RunId).Count);
        await Task.Delay(TimeSpan.FromSeconds(1)); // five probe intervals: a run still alive would probe, retry or go on

        Assert.Equal(new TerminationOutcome(true, true, 1, 1), outcome);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, run.RuntimeStatus);
        Assert.Equal("splice", run.ReadCustomStatusAs<RunStatus>()!.Phase);
        Assert.Equal([request.RunId], workflow.Dispatcher.CancelledRuns);
        Assert.Equal(starts, workflow.Dispatcher.Starts.Count);
        Assert.Equal(episodes, workflow.Decisions.Episodes(request.RunId).Count);
        Assert.Empty(await workflow.Storage.ListAsync(BlobLayout.IntegratedContainer, outputs, default));
        Assert.Null(await workflow.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer(TinyFamily.Named("halt", grouped)), 1 << 20, default));
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 300 && !await condition(); i++)
        {
            await Task.Delay(100);
        }
    }
}
