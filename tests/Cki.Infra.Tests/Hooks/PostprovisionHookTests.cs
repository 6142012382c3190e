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

    // Rule reproduced: a provision rewrites the site's app settings whole, so a setting a hook wrote with az alone is gone
    // after the next `azd provision`. The CA goes into azd's environment (main.parameters.json reads it) and, for this
    // first deployment, into the app.
    [Fact]
    public async Task CertificateAuthority_FakeAz_IntoAzdsEnvironmentAndTheApp()
    {
        using var az = new FakeAzureCli();

        var (code, output) = await az.RunAsync("postprovision.sh");

        Assert.True(code == 0, output);
        Assert.Contains("env set CKI_KUBERNETES_CA Q0EtUEVN", az.AzdCalls);
        Assert.Contains(az.Calls, c => c.StartsWith("functionapp config appsettings set", StringComparison.Ordinal) && c.Contains("Cki__KubernetesCertificateAuthority=Q0EtUEVN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ImageBuild_FakeAz_BuildsTheImageTheTemplateNamed()
    {
        using var az = new FakeAzureCli();

        var (code, output) = await az.RunAsync("postprovision.sh");

        Assert.True(code == 0, output);
        Assert.Contains(az.Calls, c => c.StartsWith("acr build", StringComparison.Ordinal) && c.Contains("--image cki-compute:0123456789ab ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ImageBuild_FakeAzRegistryRefusesTasks_FailsPointingToTheDockerFallback()
    {
        using var az = new FakeAzureCli { RegistryBuildRefused = true };

        var (code, output) = await az.RunAsync("postprovision.sh");

        Assert.NotEqual(0, code);
        Assert.Contains("CKI_SKIP_IMAGE_BUILD=true azd hooks run postprovision", output, StringComparison.Ordinal);
        Assert.DoesNotContain(az.Calls, c => c.StartsWith("aks command invoke", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ImageBuild_SkippedAfterADockerPush_FakeAzNoRegistryBuild()
    {
        using var az = new FakeAzureCli { RegistryBuildRefused = true };

        var (code, output) = await az.RunAsync("postprovision.sh", new Dictionary<string, string> { ["CKI_SKIP_IMAGE_BUILD"] = "true" });

        Assert.True(code == 0, output);
        Assert.DoesNotContain(az.Calls, c => c.StartsWith("acr build", StringComparison.Ordinal));
    }
}
