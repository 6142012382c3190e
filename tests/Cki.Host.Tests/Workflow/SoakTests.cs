using Cki.Host.Soak;
using Cki.Host.Tests.Support;
using Cki.Testing;
using Xunit.Abstractions;

namespace Cki.Host.Tests.Workflow;

/// <summary>
/// A short soak through the real host on Azurite: drops whole and file by file, truncated and empty models, identical
/// re-uploads and terminations, with every family's latest.json watched. The figures go to the test output;
/// <c>cki-host soak</c> runs the long one.
/// </summary>
[Collection(WorkflowTestGroup.Name)]
public sealed class SoakTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task Soak_MixedDropsAndTerminations_LatestOnlyMovesForward_EndsOnEveryFamilysLastDrop()
    {
        await using var harness = await HostHarness.StartAsync(HostHarness.Settings(azurite, "Soak") with { ProbeIntervalSeconds = 1 });

        var report = await new SoakRun(harness.Host, new SoakOptions { Steps = 30, Families = 3, Pace = TimeSpan.FromMilliseconds(150), Drain = TimeSpan.FromMinutes(5) },
            output.WriteLine).RunAsync(CancellationToken.None);

        output.WriteLine(report.ToString());
        Assert.Empty(report.Violations);
        Assert.True(report.PointerReads > 0, "latest.json was never read while the soak ran");
        Assert.True(report.Steps.Count >= 4, $"only {report.Steps.Count} kinds of step were taken");
    }
}
