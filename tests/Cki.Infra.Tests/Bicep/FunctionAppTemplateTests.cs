namespace Cki.Infra.Tests.Bicep;

public sealed class FunctionAppTemplateTests
{
    private readonly ArmTemplate _main = ArmTemplate.Load("main");

    private Dictionary<string, string> Settings() =>
        _main.One("Microsoft.Web/sites").At("properties.siteConfig.appSettings")!.AsArray()
            .ToDictionary(s => (string)s!["name"]!, s => s!["value"]!.ToString(), StringComparer.Ordinal);

    [Fact]
    public void Plan_Sku_FlexConsumption()
    {
        var plan = _main.One("Microsoft.Web/serverfarms");

        Assert.Equal("FC1", plan.Text("sku.name"));
        Assert.Equal("FlexConsumption", plan.Text("sku.tier"));
    }

    [Fact]
    public void Site_Identity_UserAssignedOnlyHttpsOnlyDotnetIsolated10()
    {
        var site = _main.One("Microsoft.Web/sites");

        Assert.Equal("UserAssigned", site.Text("identity.type"));
        Assert.True((bool)site.At("properties.httpsOnly")!);
        Assert.Equal("1.2", site.Text("properties.siteConfig.minTlsVersion"));
        Assert.Equal("Disabled", site.Text("properties.siteConfig.ftpsState"));
        Assert.Equal("dotnet-isolated", site.Text("properties.functionAppConfig.runtime.name"));
        Assert.Equal("10.0", site.Text("properties.functionAppConfig.runtime.version"));
        Assert.Equal("UserAssignedIdentity", site.Text("properties.functionAppConfig.deployment.storage.authentication.type"));
    }

    [Fact]
    public void Settings_HostAndTriggerStorage_ByIdentityOnly()
    {
        var settings = Settings();

        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys); // a connection string would carry a key
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Contains("AzureWebJobsStorage__accountName", settings.Keys);
        Assert.DoesNotContain("CKI_STORAGE", settings.Keys);
        Assert.DoesNotContain("CKI_STORAGE_CONNECTION_STRING", settings.Keys);
        Assert.Equal("managedidentity", settings["CKI_STORAGE__credential"]);
        Assert.Contains("CKI_STORAGE__blobServiceUri", settings.Keys);
        Assert.Contains("CKI_STORAGE__queueServiceUri", settings.Keys);
        Assert.Contains("CKI_STORAGE_ACCOUNT_URL", settings.Keys);
        Assert.Contains("Authorization=AAD", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"], StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_BlobTriggers_EventGridPairOnPollingPairOff()
    {
        var settings = Settings();

        Assert.Equal("true", settings["AzureWebJobs.CheckpointChanged.Disabled"]);
        Assert.Equal("true", settings["AzureWebJobs.JobResultWritten.Disabled"]);
        Assert.Equal("false", settings["AzureWebJobs.CheckpointChangedEventGrid.Disabled"]);
        Assert.Equal("false", settings["AzureWebJobs.JobResultWrittenEventGrid.Disabled"]);
    }

    [Fact]
    public void Settings_Dispatcher_KubernetesWithServerNamespaceImage()
    {
        var settings = Settings();

        Assert.Equal("kubernetes", settings["CKI_DISPATCHER"]);
        Assert.Equal("[parameters('kubernetesServer')]", settings["CKI_KUBERNETES_SERVER"]);
        Assert.Contains("https://", _main.Module("function-app").Parameter("kubernetesServer"), StringComparison.Ordinal);
        Assert.Contains("aks", _main.Module("function-app").Parameter("kubernetesServer"), StringComparison.Ordinal);
        Assert.Equal("[parameters('jobsNamespace')]", settings["CKI_KUBERNETES_NAMESPACE"]);
        Assert.Contains("cki-compute:", _main.Module("function-app").Parameter("computeImage"), StringComparison.Ordinal);
    }
}
