namespace Cki.Infra.Tests.Hooks;

/// <summary>
/// Rule reproduced: az keeps a default subscription of its own (<c>az account set</c>), separate from the one azd
/// deploys to; a hook's az call without <c>--subscription</c> acts on whatever az's default is. Each hook is run with a
/// FAKE az (no Azure here) and every call it makes must name azd's subscription.
/// </summary>
public sealed class HookSubscriptionTests
{
    [Theory]
    [InlineData("preprovision.sh")]
    [InlineData("postprovision.sh")]
    [InlineData("postdeploy.sh")]
    public async Task EveryAzCall_FakeAz_NamesAzdsSubscription(string hook)
    {
        using var az = new FakeAzureCli();

        var (code, output) = await az.RunAsync(hook);

        Assert.True(code == 0, output);
        Assert.NotEmpty(az.Calls);
        Assert.All(az.Calls, call => Assert.Contains($"--subscription {FakeAzureCli.Subscription}", call, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryHookScript_AzLines_CarryTheSubscription()
    {
        // Also read as text, for az calls a run with the fake did not reach (error paths).
        var scripts = Directory.GetFiles(RepositoryFiles.PathOf("infra", "scripts"), "*.sh");

        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            var calls = File.ReadAllLines(script)
                .Where(l => !l.TrimStart().StartsWith('#') && !l.TrimStart().StartsWith("echo", StringComparison.Ordinal))
                .Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"(^|[\s(])az [a-z]"))
                .ToList();
            Assert.All(calls, l => Assert.Contains("--subscription \"$sub\"", l, StringComparison.Ordinal));
        }
    }
}
