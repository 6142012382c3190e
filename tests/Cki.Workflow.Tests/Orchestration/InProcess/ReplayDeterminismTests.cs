using Cki.Testing;
using Microsoft.DurableTask.Client;

namespace Cki.Workflow.Tests.Orchestration.InProcess;

/// <summary>
/// The orchestrator is replayed from its history at every episode: given the same history it must make the same
/// decisions (the same activities with the same inputs, timers at the same times, the same event waits and status), or a
/// replay after a host restart would do something else than the run it continues. The runtime itself only notices a
/// changed activity name; a changed input or timer passes it silently, so the test compares every decision.
/// </summary>
public sealed class ReplayDeterminismTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_EveryEpisodeReplaysThePreviousOnesDecisionsExactly(bool grouped)
    {
        await using var workflow = await InProcessWorkflow.StartAsync(azurite);
        // A history with every kind of turn: a lost event found by a probe, a crash and its retry, probes that wait again.
        workflow.Dispatcher.Script = launch => (launch.JobId, launch.Attempt) switch
        {
            ("profile-a", _) => JobOutcome.SucceedsEventLost,
            ("profile-b", 1) => JobOutcome.Crashes,
            _ => JobOutcome.Succeeds,
        };
        var request = await TinyFamily.DropAsync(workflow.Storage, TinyFamily.Named("replay", grouped), TinyFamily.Fast(grouped: grouped), shards: 2);

        await workflow.StartAsync(request);
        var run = await workflow.EndedAsync(request.RunId);
        var episodes = workflow.Decisions.Episodes(request.RunId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.True(episodes.Count >= 10, $"only {episodes.Count} episodes: the history is too short to prove anything");
        for (var k = 1; k < episodes.Count; k++)
        {
            var (before, now) = (episodes[k - 1], episodes[k]);
            Assert.True(now.Count >= before.Count, $"episode {k + 1} made {now.Count} decisions, fewer than the {before.Count} of episode {k} it replays");
            for (var i = 0; i < before.Count; i++)
            {
                Assert.True(before[i] == now[i], $"episode {k + 1}, decision {i + 1}: replayed as\n  {now[i]}\nbut was\n  {before[i]}");
            }
        }

        var all = episodes[^1];
        Assert.Contains(all, d => d.StartsWith("timer ", StringComparison.Ordinal));
        Assert.Contains(all, d => d.StartsWith("wait job:", StringComparison.Ordinal));
        Assert.Contains(all, d => d.StartsWith("activity ProbeJobActivity", StringComparison.Ordinal));
        Assert.Contains(all, d => d.StartsWith("activity PublishActivity", StringComparison.Ordinal));
    }
}
