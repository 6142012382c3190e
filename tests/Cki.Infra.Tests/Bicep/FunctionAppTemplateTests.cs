using Cki.Workflow.Settings;

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
        // The one storage connection in its section form (a plain CkiStorage would be a connection string, with a key).
        Assert.DoesNotContain(StorageSetting.Name, settings.Keys);
        Assert.Equal("managedidentity", settings[StorageSetting.Name + "__credential"]);
        Assert.Contains(StorageSetting.Name + "__" + StorageSetting.BlobServiceUri, settings.Keys);
        Assert.Contains(StorageSetting.Name + "__queueServiceUri", settings.Keys);
        Assert.Equal("[parameters('identityClientId')]", settings[StorageSetting.Name + "__" + StorageSetting.ClientId]);
        Assert.DoesNotContain(settings.Keys, k => k.StartsWith("CKI_", StringComparison.Ordinal));
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

        Assert.Equal("kubernetes", settings[Setting(nameof(WorkflowSettings.Dispatcher))]);
        Assert.Equal("[parameters('kubernetesServer')]", settings[Setting(nameof(WorkflowSettings.KubernetesServer))]);
        Assert.Contains("https://", _main.Module("function-app").Parameter("kubernetesServer"), StringComparison.Ordinal);
        Assert.Contains("aks", _main.Module("function-app").Parameter("kubernetesServer"), StringComparison.Ordinal);
        Assert.Equal("[parameters('jobsNamespace')]", settings[Setting(nameof(WorkflowSettings.KubernetesNamespace))]);
        Assert.Contains("cki-compute:", _main.Module("function-app").Parameter("computeImage"), StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_MaxJobsInFlight_WhatTheGpuPoolHolds()
    {
        var settings = Settings();

        Assert.Equal("[string(parameters('maxJobsInFlight'))]", settings[Setting(nameof(WorkflowSettings.MaxJobsInFlight))]);
        Assert.Equal("[parameters('gpuMaxCount')]", _main.Module("function-app").Parameter("maxJobsInFlight"));
    }

    // An app setting's name for a WorkflowSettings property (section Cki, '__' for ':').
    private static string Setting(string property) => $"{WorkflowSettings.Section}__{property}";
}
