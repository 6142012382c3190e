using Cki.Contracts.Storage;
using Cki.Testing;
using Microsoft.DurableTask.Client;

namespace Cki.Workflow.Tests.Orchestration.InProcess;

/// <summary>
/// A job that fails fails its run at once: the rest of the phase is stopped instead of run to the end, and the run's
/// partial outputs under <c>integrated/</c> are removed (in-process Durable Task host, real orchestrator and activities,
/// scripted jobs).
/// </summary>
public sealed class FailFastTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_OneSpliceFailsWhileAnotherStillRuns_FailsAtOnceStopsTheRunningJobAndRemovesPartialOutputs(bool grouped)
    {
        await using var workflow = await InProcessWorkflow.StartAsync(azurite);
        workflow.Dispatcher.Script = launch =>
        {
            if (launch.JobId == "splice-00002")
            {
                // A shard that a splice job wrote before the run failed.
                workflow.Storage.WriteSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.IntegratedRunPrefix(TinyFamily.Named("fastfail", grouped), launch.RunId) + "model-00002-of-00004.safetensors",
                    [1, 2, 3], null, default).GetAwaiter().GetResult();
            }

            return launch.JobId switch
            {
                "splice-00001" => JobOutcome.Hangs, // would run for the whole job timeout (10 minutes) under a plain fan-in
                "splice-00004" => JobOutcome.Fails,
                _ => JobOutcome.Succeeds,
            };
        };
        workflow.Dispatcher.FailureReason = "tensor t03: shapes [4] and [5] differ";
        var request = await TinyFamily.DropAsync(workflow.Storage, TinyFamily.Named("fastfail", grouped), TinyFamily.Fast(jobTimeoutSeconds: 600, maxAttempts: 1, grouped: grouped), shards: 4, tensors: 4);

        await workflow.StartAsync(request);
        var run = await workflow.EndedAsync(request.RunId);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Equal("job splice-00004 (splice) failed: tensor t03: shapes [4] and [5] differ", run.FailureDetails!.ErrorMessage);
        Assert.Contains(request.RunId, workflow.Dispatcher.CancelledRuns);
        Assert.Single(workflow.Dispatcher.StartsOf("splice-00001"));
        Assert.Empty(await workflow.Storage.ListAsync(BlobLayout.IntegratedContainer, BlobLayout.IntegratedRunPrefix(TinyFamily.Named("fastfail", grouped), request.RunId), default));
        Assert.Null(await workflow.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer(TinyFamily.Named("fastfail", grouped)), 1 << 20, default));
    }
}
