using System.CommandLine;
using Cki.Host.Tools;

namespace Cki.Host.Tests.Cli;

public class ToolsCliTests
{
    // Parses and invokes args with a runner that records instead of running; null when nothing ran.
    private static async Task<(int Exit, ToolsInvocation? Ran)> InvokeAsync(params string[] args)
    {
        ToolsInvocation? ran = null;
        var root = ToolsCli.Create((invocation, _) => { ran = invocation; return Task.FromResult(0); }, []);
        using var quiet = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = quiet, Error = quiet });
        return (exit, ran);
    }

    [Fact]
    public async Task Soak_TakesItsSteps()
    {
        var (exit, ran) = await InvokeAsync("soak", "12");
        Assert.Equal((0, "soak", 12), (exit, ran?.Host.Command, ran?.Steps));
    }

    [Fact]
    public async Task Soak_StepsMustBePositive()
    {
        var (exit, ran) = await InvokeAsync("soak", "0");
        Assert.NotEqual(0, exit);
        Assert.Null(ran);
    }

    [Fact]
    public async Task Bench_TakesItsSizeAndCkiHostsSettings()
    {
        var (exit, ran) = await InvokeAsync("bench", "--tensors", "1000", "--shards", "1000", "--Cki:MaxConcurrentJobs=2");
        Assert.Equal((0, "bench", 1000, 1000, true, 2), (exit, ran?.Host.Command, ran?.Host.Tensors, ran?.Host.Shards, ran?.Host.ConcurrencyGiven, ran?.Host.Options.MaxConcurrentJobs));
    }

    [Fact]
    public async Task Bench_AnUnknownSetting_IsAnError()
    {
        var (exit, ran) = await InvokeAsync("bench", "--Cki:Shardz=3");
        Assert.Equal((1, null), (exit, ran));
    }

    [Fact]
    public void InstantBench_ReplacesTheDispatcher_ThePlainBenchDoesNot()
    {
        Assert.NotNull(InstantBench.Scenario(100, 10).Services);
        Assert.Null(Cki.Host.Demo.OverheadBench.Scenario(100, 10).Services);
    }
}
