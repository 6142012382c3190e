using Azure.Core;
using Azure.Storage.Blobs;
using Cki.Contracts.Storage;
using Cki.Contracts.Runs;
using Cki.Testing;
using Cki.Workflow.Orchestration;
using Cki.Workflow.Storage;
using Microsoft.DurableTask.Client;

namespace Cki.Workflow.Tests.Orchestration.InProcess;

/// <summary>
/// A transient storage error in a step that reads or writes blobs is retried (<see cref="StepRetries"/>) and the run
/// completes, instead of failing the whole run.
/// </summary>
public sealed class StorageRetryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Theory]
    [InlineData("validate", "PUT", "/cki.yaml")] // the run's manifest snapshot under runs/
    [InlineData("start", "PUT", "/profile-a/spec.json")]
    [InlineData("probe", "GET", "/profile-b/result.json")] // the probe that looks for a result whose event was lost
    [InlineData("assemble", "PUT", "/model.safetensors.index.json")] // its last write: every other file is written again
    [InlineData("report", "PUT", "/report.json")]
    [InlineData("publish", "PUT", "/latest.json")]
    public async Task Run_OneTransientBlobErrorInAStep_StepRetriedAndRunCompletes(string family, string method, string blob)
    {
        var fault = new TransientBlobFault(method, blob);
        var options = new BlobClientOptions();
        options.AddPolicy(fault, HttpPipelinePosition.PerCall);
        await using var workflow = await InProcessWorkflow.StartAsync(azurite, options);
        workflow.Dispatcher.Script = launch => launch.JobId == "profile-b" ? JobOutcome.SucceedsEventLost : JobOutcome.Succeeds;
        var storage = new WorkflowStorage(azurite.ConnectionString); // the test's own, without the fault
        var request = await TinyFamily.DropAsync(storage, family, TinyFamily.Fast());

        await workflow.StartAsync(request);
        var run = await workflow.EndedAsync(request.RunId);

        Assert.Equal(1, fault.Injected);
        Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{run.RuntimeStatus}: {run.FailureDetails?.ErrorMessage}");
        Assert.NotNull(await storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer(family), 1 << 20, default));
    }

    [Fact]
    public async Task Run_PublishFailsAfterItsWrite_RunAgainFindsItsOwnPointerAndTheRunCompletesPublished()
    {
        // The listing that looks for the terminated mark after latest.json was written: publish runs again from the start.
        var fault = new TransientBlobFault("GET", "/runs", armedAfter: ("PUT", "/latest.json"));
        var options = new BlobClientOptions();
        options.AddPolicy(fault, HttpPipelinePosition.PerCall);
        await using var workflow = await InProcessWorkflow.StartAsync(azurite, options);
        var storage = new WorkflowStorage(azurite.ConnectionString);
        var request = await TinyFamily.DropAsync(storage, "republish", TinyFamily.Fast());

        await workflow.StartAsync(request);
        var run = await workflow.EndedAsync(request.RunId);

        Assert.Equal(1, fault.Injected);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal("completed", run.ReadOutputAs<RunSummary>()!.Outcome);
        var latest = await storage.ReadSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer("republish"), 1 << 20, default);
        Assert.Equal(request.RunId, LatestPointer.Read(latest!.Value.Content)!.RunId);
    }

    [Fact]
    public async Task Run_PermanentBlobErrorInAStep_NotRetriedAndTheRunFailsWithIt()
    {
        var fault = new TransientBlobFault("PUT", "/report.json", times: 5, status: 403);
        var options = new BlobClientOptions();
        options.AddPolicy(fault, HttpPipelinePosition.PerCall);
        await using var workflow = await InProcessWorkflow.StartAsync(azurite, options);
        var request = await TinyFamily.DropAsync(new WorkflowStorage(azurite.ConnectionString), "forbidden", TinyFamily.Fast());

        await workflow.StartAsync(request);
        var run = await workflow.EndedAsync(request.RunId);

        Assert.Equal(1, fault.Injected);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Contains("Status: 403", run.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
    }
}
