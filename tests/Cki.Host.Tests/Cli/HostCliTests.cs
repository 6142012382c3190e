using System.CommandLine;
using Cki.Host.Cli;

namespace Cki.Host.Tests.Cli;

public class HostCliTests
{
    private static readonly KeyValuePair<string, string?>[] NoEnvironment = [];

    // Parses and invokes args with a runner that records instead of running; null when nothing ran.
    private static async Task<(int Exit, HostInvocation? Ran)> InvokeAsync(string[] args, IEnumerable<KeyValuePair<string, string?>>? environment = null)
    {
        HostInvocation? ran = null;
        var root = HostCli.Create((invocation, _) => { ran = invocation; return Task.FromResult(0); }, environment ?? NoEnvironment);
        using var quiet = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = quiet, Error = quiet });
        return (exit, ran);
    }

    [Fact]
    public async Task NoCommand_Serves()
    {
        var (exit, ran) = await InvokeAsync([]);
        Assert.Equal((0, "serve"), (exit, ran?.Command));
    }

    [Fact]
    public async Task Settings_FromEnvironmentThenArguments_TheArgumentWins()
    {
        var (exit, ran) = await InvokeAsync(["demo", "synthetic", "--Cki:SettleSeconds=2", "--Cki:maxconcurrentjobs=3", "--Logging:LogLevel:Default=Warning"],
            [new("Cki__SettleSeconds", "9"), new("Cki__TaskHub", "Other"), new("PATH", "/bin")]);
        Assert.Equal(0, exit);
        Assert.Equal(("demo", "synthetic"), (ran!.Command, ran.Scenario));
        Assert.Equal((2.0, 3, "Other", true), (ran.Options.SettleSeconds, ran.Options.MaxConcurrentJobs, ran.Options.TaskHub, ran.ConcurrencyGiven));
        Assert.Equal(["--Cki:SettleSeconds=2", "--Cki:maxconcurrentjobs=3", "--Logging:LogLevel:Default=Warning"], ran.Overrides);
    }

    [Theory]
    [InlineData("--Cki:SettleSecond=2")]
    [InlineData("serve", "--Cki:Storag=x")]
    [InlineData("serve", "--verbose")]
    [InlineData("serve", "--Logging:LogLevel:Default")]
    [InlineData("serv")]
    [InlineData("demo", "imagenet")]
    [InlineData("soak", "0")]
    [InlineData("soak", "many")]
    [InlineData("bench", "--Cki:MaxConcurrentJobs=two")]
    [InlineData("bench", "--jobs", "docker")]
    [InlineData("bench", "--shards", "many")]
    public async Task BadCommandLine_FailsWithoutRunning(params string[] args)
    {
        var (exit, ran) = await InvokeAsync(args);
        Assert.NotEqual(0, exit);
        Assert.Null(ran);
    }

    [Fact]
    public async Task UnknownSettingInTheEnvironment_FailsWithoutRunning()
    {
        var (exit, ran) = await InvokeAsync(["serve"], [new("Cki__PollSecs", "1")]);
        Assert.Equal((1, null), (exit, ran));
    }

    [Fact]
    public void Read_UnknownSetting_NamesItAndTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => HostSettings.Read(["--Cki:Storag=x"], NoEnvironment));
        Assert.StartsWith("unknown setting 'Cki:Storag'; the settings are ApiTokenFile, AzuriteLocation, BlobTriggers,", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_TakesItsSizeAndConcurrency()
    {
        var (exit, ran) = await InvokeAsync(["bench", "--tensors", "1000", "--shards", "1000", "--Cki:MaxConcurrentJobs=2"]);
        Assert.Equal((0, "bench", 1000, 1000, true, 2), (exit, ran?.Command, ran?.Tensors, ran?.Shards, ran?.ConcurrencyGiven, ran?.Options.MaxConcurrentJobs));
    }

    [Theory]
    [InlineData("soak")]
    [InlineData("bench", "--jobs", "instant")]
    public async Task TestTools_AreNotInTheShippedHost(params string[] args)
    {
        var (exit, ran) = await InvokeAsync(args);
        Assert.NotEqual(0, exit);
        Assert.Null(ran);
    }

    [Fact]
    public async Task Help_ListsTheCommandsAndEverySetting()
    {
        var root = HostCli.Create((_, _) => Task.FromResult(0), NoEnvironment);
        using var output = new StringWriter();
        Assert.Equal(0, await root.Parse(["--help"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = output }));
        var help = output.ToString().ReplaceLineEndings(" ");
        Assert.All(new[] { "serve", "demo", "bench" }, c => Assert.Contains(c, help, StringComparison.Ordinal));
        Assert.All(HostSettings.Names, s => Assert.Contains(s, help, StringComparison.Ordinal));
    }
}
