using Cki.Testing.Durable;
using Cki.Workflow.Messages;
using Cki.Workflow.Orchestration;
using Microsoft.DurableTask.Client;

namespace Cki.Workflow.Tests.Orchestration;

/// <summary>Where a job's result event goes: the run, or the batch of it that waits for its jobs now.</summary>
public class JobEventsTests
{
    private const string RunId = "fam-0123456789abcdef";

    [Fact]
    public async Task WaiterAsync_StatusNamesABatch_TheBatch()
    {
        var client = new FakeDurableClient(FakeDurableClient.Instance(RunId, OrchestrationRuntimeStatus.Running,
            """{"Phase":"splice","JobsDone":4,"JobsTotal":20,"Error":null,"Batch":"batch@fam-0123456789abcdef@splice-0002"}"""));

        Assert.Equal("batch@fam-0123456789abcdef@splice-0002", await JobEvents.WaiterAsync(client, RunId, default));
    }

    [Theory]
    [InlineData("""{"Phase":"profile","JobsDone":0,"JobsTotal":4,"Error":null,"Batch":null}""")]
    [InlineData("""{"Phase":"profile","JobsDone":0,"JobsTotal":4,"Error":null}""")] // a run started before batches existed
    [InlineData(null)]
    public async Task WaiterAsync_NoBatchInFlight_TheRun(string? status)
    {
        var client = new FakeDurableClient(FakeDurableClient.Instance(RunId, OrchestrationRuntimeStatus.Running, status));

        Assert.Equal(RunId, await JobEvents.WaiterAsync(client, RunId, default));
    }

    [Fact]
    public async Task WaiterAsync_NoSuchRun_TheRunId()
    {
        Assert.Equal(RunId, await JobEvents.WaiterAsync(new FakeDurableClient(), RunId, default));
    }

    [Fact]
    public void InstanceId_NoRunsPrefixMatchesIt()
    {
        var batch = JobBatchOrchestrator.InstanceId(RunId, "splice", 12);

        Assert.Equal("batch@fam-0123456789abcdef@splice-0012", batch);
        Assert.True(JobBatchOrchestrator.IsBatchInstance(batch));
        Assert.False(JobBatchOrchestrator.IsBatchInstance(RunId));
        // Families are [a-z0-9][a-z0-9._-]*: a family's run prefix ("{family}-") never starts a batch's id, even family "batch".
        Assert.False(batch.StartsWith("batch-", StringComparison.Ordinal));
    }
}
