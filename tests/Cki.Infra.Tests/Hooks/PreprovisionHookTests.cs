namespace Cki.Infra.Tests.Hooks;

/// <summary>infra/scripts/preprovision.sh run with a FAKE az (no Azure here) answering as a subscription would.</summary>
public sealed class PreprovisionHookTests
{
    [Fact]
    public async Task Region_FakeAzFlexListedGpuOfferedQuotaFree_PassesAndPinsTheImageTagToTheCommit()
    {
        using var az = new FakeAzureCli();

        var (code, output) = await az.RunAsync("preprovision.sh");

        Assert.True(code == 0, output);
        Assert.Contains("quota for 2 GPU node(s)", output, StringComparison.Ordinal);
        var set = Assert.Single(az.AzdCalls);
        Assert.Matches(@"^env set CKI_COMPUTE_IMAGE_TAG [0-9a-f]{12}(-dirty-\d{14})?$", set);
    }

    [Fact]
    public async Task ImageTag_FakeAzOutsideAGitCheckout_ATimeTagInstead()
    {
        using var az = new FakeAzureCli();

        var (code, output) = await az.RunAsync("preprovision.sh", new Dictionary<string, string> { ["GIT_DIR"] = Path.Combine(Path.GetTempPath(), "no-such-git-dir") });

        Assert.True(code == 0, output);
        Assert.Matches(@"^env set CKI_COMPUTE_IMAGE_TAG build-\d{14}$", Assert.Single(az.AzdCalls));
    }

    // Rule reproduced: Flex Consumption exists in some regions only; the plan's creation fails late in the deployment.
    [Fact]
    public async Task Region_FakeAzRegionWithoutFlex_FailsNamingTheRegionsThatHaveIt()
    {
        using var az = new FakeAzureCli { FlexRegions = "Sweden Central\nWest Europe" };

        var (code, output) = await az.RunAsync("preprovision.sh");

        Assert.NotEqual(0, code);
        Assert.Contains("region 'eastus' offers no Flex Consumption plan", output, StringComparison.Ordinal);
        Assert.Contains("swedencentral westeurope", output, StringComparison.Ordinal);
        Assert.DoesNotContain(az.Calls, c => c.StartsWith("vm list-usage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GpuSize_FakeAzNotOfferedInTheRegion_FailsNamingTheSetting()
    {
        using var az = new FakeAzureCli { GpuSku = "" };

        var (code, output) = await az.RunAsync("preprovision.sh");

        Assert.NotEqual(0, code);
        Assert.Contains("VM size Standard_NC4as_T4_v3 is not offered in 'eastus'", output, StringComparison.Ordinal);
        Assert.Contains("CKI_GPU_VM_SIZE", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GpuSize_FakeAzRestrictedForTheSubscription_Fails()
    {
        using var az = new FakeAzureCli { GpuSku = "standardNCASv3_T4Family\t1\t4" };

        var (code, output) = await az.RunAsync("preprovision.sh");

        Assert.NotEqual(0, code);
        Assert.Contains("is restricted for this subscription", output, StringComparison.Ordinal);
    }

    // Rule reproduced: a new subscription has 0 vCPUs of GPU quota; the pool is created, but no node can ever join.
    [Fact]
    public async Task Quota_FakeAzNoGpuVcpusFree_FailsWithWhatOneNodeNeeds()
    {
        using var az = new FakeAzureCli { GpuUsage = "0\t0" };

        var (code, output) = await az.RunAsync("preprovision.sh");

        Assert.NotEqual(0, code);
        Assert.Contains("GPU quota: VM family standardNCASv3_T4Family in 'eastus' has 0 of 0 vCPUs free, and one Standard_NC4as_T4_v3 node needs 4", output, StringComparison.Ordinal);
        Assert.Empty(az.AzdCalls); // nothing set when the check fails
    }

    [Fact]
    public async Task Quota_FakeAzRoomForOneNodeOfTwo_WarnsAndPasses()
    {
        using var az = new FakeAzureCli { GpuUsage = "2\t8" };

        var (code, output) = await az.RunAsync("preprovision.sh");

        Assert.True(code == 0, output);
        Assert.Contains("holds 1 Standard_NC4as_T4_v3 node(s), fewer than the pool's 2", output, StringComparison.Ordinal);
    }
}
