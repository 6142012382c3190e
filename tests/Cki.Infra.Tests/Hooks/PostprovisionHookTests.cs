namespace Cki.Infra.Tests.Hooks;

/// <summary>infra/scripts/postprovision.sh run with a FAKE az (no Azure here).</summary>
public sealed class PostprovisionHookTests
{
    // Rule reproduced: a role assignment made by the same deployment takes minutes to apply, and `az aks command invoke`
    // exits 0 whatever kubectl did (only its "exitcode=N" line tells): the hook must retry on that line, not on az's code.
    [Fact]
    public async Task ClusterStep_FakeAzRefusesTwice_RetriesUntilKubectlSucceeds()
    {
        using var az = new FakeAzureCli { ClusterRefusals = 2 };

        var (code, output) = await az.RunAsync("postprovision.sh");

        Assert.True(code == 0, output);
        Assert.Equal(3, az.Calls.Count(c => c.StartsWith("aks command invoke", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ClusterStep_FakeAzRefusesEveryTry_FailsNamingTheRetry()
    {
        using var az = new FakeAzureCli { ClusterRefusals = 100 };

        var (code, output) = await az.RunAsync("postprovision.sh", new Dictionary<string, string> { ["CKI_CLUSTER_TRIES"] = "3" });

        Assert.NotEqual(0, code);
        Assert.Equal(3, az.Calls.Count(c => c.StartsWith("aks command invoke", StringComparison.Ordinal)));
        Assert.Contains("azd hooks run postprovision", output, StringComparison.Ordinal);
    }
}
