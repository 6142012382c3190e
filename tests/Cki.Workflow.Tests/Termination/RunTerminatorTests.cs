using System.Text;
using Cki.Contracts.Storage;
using Cki.Testing;
using Cki.Testing.Durable;
using Cki.Workflow.Storage;
using Cki.Workflow.Termination;
using Microsoft.DurableTask.Client;

namespace Cki.Workflow.Tests.Termination;

/// <summary>A terminate that comes after the run published (its orchestration still finishing) leaves the run alone.</summary>
public sealed class RunTerminatorTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task TerminateAsync_RunAlreadyPublished_NotTerminated_NoMark_OutputsKept()
    {
        const string runId = "done-0123456789abcdef";
        var storage = new WorkflowStorage(azurite.ConnectionString);
        await storage.EnsureContainersAsync(CancellationToken.None);
        await storage.WriteSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.LatestPointer("done"), Encoding.UTF8.GetBytes($$"""{"run_id": "{{runId}}"}"""), null, default);
        await storage.WriteSmallAsync(BlobLayout.IntegratedContainer, BlobLayout.IntegratedFile("done", runId, "report.md"), [1], null, default);
        var client = new FakeDurableClient(FakeDurableClient.Instance(runId, OrchestrationRuntimeStatus.Running));

        var outcome = await new RunTerminator(client, storage).TerminateAsync(runId, "too late", CancellationToken.None);

        Assert.Equal(new TerminationOutcome(true, false, 0, 0), outcome);
        Assert.Empty(client.Terminated); // the orchestration is left to finish
        Assert.Null(await storage.ReadSmallAsync(BlobLayout.RunsContainer, BlobLayout.RunTerminated(runId), 1 << 20, default));
        Assert.Single(await storage.ListAsync(BlobLayout.IntegratedContainer, BlobLayout.IntegratedRunPrefix("done", runId), default));
    }
}
