using Cki.Testing;
using Cki.Workflow.Activities;
using Microsoft.DurableTask.Client;

namespace Cki.Workflow.Tests.Orchestration.InProcess;

/// <summary>
/// With grouped starts a fan-out costs one start activity and one timer, whatever its size, where it cost one of each per
/// job: counted from the orchestrator's own decisions, with a probe interval long enough that every job's event comes first
/// (which also shows that the group's pending timer does not keep the run from ending).
/// </summary>
public sealed class GroupedStartTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const int Shards = 4;

    // Jobs of TinyFamily with four shards: two profiles, four splices; two fan-outs.
    private const int Jobs = 2 + Shards;

    [Theory]
    [InlineData(false, Jobs, 0, Jobs)]
    [InlineData(true, 0, 2, 2)]
    public async Task Run_FanOuts_StartActivitiesAndTimersPerFanOutNotPerJob(bool grouped, int singleStarts, int groupStarts, int timers)
    {
        await using var workflow = await InProcessWorkflow.StartAsync(azurite);
        var settings = TinyFamily.Fast(grouped: grouped) with { ProbeIntervalSeconds = 300 };
        var request = await TinyFamily.DropAsync(workflow.Storage, TinyFamily.Named("counted", grouped), settings, shards: Shards, tensors: Shards);

        await workflow.StartAsync(request);
        var run = await workflow.EndedAsync(request.RunId);
        var decisions = workflow.Decisions.Episodes(request.RunId)[^1];

        Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{run.RuntimeStatus}: {run.FailureDetails?.ErrorMessage}");
        Assert.Equal(Jobs, workflow.Dispatcher.Starts.Count);
        Assert.Equal(singleStarts, decisions.Count(d => d.StartsWith($"activity {nameof(StartJobActivity)} ", StringComparison.Ordinal)));
        Assert.Equal(groupStarts, decisions.Count(d => d.StartsWith($"activity {nameof(StartJobsActivity)} ", StringComparison.Ordinal)));
        Assert.Equal(timers, decisions.Count(d => d.StartsWith("timer ", StringComparison.Ordinal)));
        Assert.DoesNotContain(decisions, d => d.StartsWith($"activity {nameof(ProbeJobActivity)}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_TerminatedBeforeTheGroupStarts_StartsNoJobAndFails()
    {
        await using var workflow = await InProcessWorkflow.StartAsync(azurite);
        var request = await TinyFamily.DropAsync(workflow.Storage, "counted-halted", TinyFamily.Fast(grouped: true));
        // The terminated mark is there before any start: the group start must start nothing at all.
        await workflow.Storage.WriteSmallAsync(Cki.Contracts.Storage.BlobLayout.RunsContainer, Cki.Contracts.Storage.BlobLayout.RunTerminated(request.RunId), "{}"u8.ToArray(),
            null, default);

        await workflow.StartAsync(request);
        var run = await workflow.EndedAsync(request.RunId);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Contains("was terminated", run.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(workflow.Dispatcher.Starts);
    }
}
