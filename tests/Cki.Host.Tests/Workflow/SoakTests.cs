using Cki.Host.Tools.Soak;
using Cki.Host.Tests.Support;
using Cki.Testing;
using Xunit.Abstractions;

namespace Cki.Host.Tests.Workflow;

/// <summary>
/// A short soak through the real host on Azurite: drops whole and file by file, truncated and empty models, identical
/// re-uploads and terminations, with every family's latest.json watched. The figures go to the test output;
/// <c>cki-host-tools soak</c> runs the long one.
/// </summary>
[Collection(WorkflowTestGroup.Name)]
[Trait("Category", "Slow")]
public sealed class SoakTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task Soak_MixedDropsAndTerminations_LatestOnlyMovesForward_EndsOnEveryFamilysLastDrop()
    {
        // A trickled drop has no _READY marker: only the settle period keeps its half-written state (a new, b old) from a
        // run. Its files come 300 ms apart; a settle of 3 s keeps that margin even on a loaded machine (with 1 s, a load
        // of 19 once stretched the gap past it and the half-written state was published, as the settle rule allows).
        await using var harness = await HostHarness.StartAsync(HostHarness.Settings(azurite, "Soak") with { ProbeIntervalSeconds = 1, SettleSeconds = 3 });

        var report = await new SoakRun(harness.Host, new SoakOptions { Steps = 30, Families = 3, Pace = TimeSpan.FromMilliseconds(150), Drain = TimeSpan.FromMinutes(5) },
            output.WriteLine).RunAsync(CancellationToken.None);

        output.WriteLine(report.ToString());
        Assert.Empty(report.Violations);
        Assert.True(report.PointerReads > 0, "latest.json was never read while the soak ran");
        Assert.True(report.Steps.Count >= 4, $"only {report.Steps.Count} kinds of step were taken");
    }
}
