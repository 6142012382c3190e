using Cki.Contracts.Storage;

namespace Cki.Infra.Tests.Bicep;

public sealed class StorageTemplateTests
{
    private readonly ArmTemplate _main = ArmTemplate.Load("main");

    [Fact]
    public void StorageAccounts_Security_SharedKeyAndPublicBlobsOffTls12HttpsOnly()
    {
        var accounts = _main.OfType("Microsoft.Storage/storageAccounts").ToList();

        Assert.Equal(["app-storage", "storage"], accounts.Select(a => a.Module.Name).Order(StringComparer.Ordinal));
        Assert.All(accounts, account =>
        {
            Assert.False((bool)account.At("properties.allowSharedKeyAccess")!);
            Assert.False((bool)account.At("properties.allowBlobPublicAccess")!);
            Assert.True((bool)account.At("properties.defaultToOAuthAuthentication")!);
            Assert.Equal("TLS1_2", account.Text("properties.minimumTlsVersion"));
            Assert.True((bool)account.At("properties.supportsHttpsTrafficOnly")!);
        });
    }

    // The workflow's containers on the data account, the app's package on the app's own account: nothing a job may
    // write (the data account) holds the app's code.
    [Fact]
    public void Containers_Design_WorkflowsOnTheDataAccountPackageOnTheAppsAccount()
    {
        var variables = _main.Module("cki-resources").Template["variables"]!;
        var data = variables["dataContainers"]!.AsArray().Select(n => (string)n!).ToList();

        Assert.Equal(
            new[] { BlobLayout.CheckpointsContainer, BlobLayout.DataContainer, BlobLayout.RunsContainer, BlobLayout.IntegratedContainer }.Order(),
            data.Order());
        Assert.Equal("[variables('dataContainers')]", _main.Module("storage").Parameter("containers"));
        Assert.Equal(
            ["[variables('deploymentContainer')]", "[variables('deadLetterContainer')]"],
            _main.Module("app-storage").Parameters["containers"]!["value"]!.AsArray().Select(c => (string)c!));
        Assert.Equal("app-package", (string)variables["deploymentContainer"]!);
        Assert.All(_main.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"), containers =>
        {
            Assert.NotNull(containers.Node["copy"]); // one resource per name of the list
            Assert.Equal("None", containers.Text("properties.publicAccess"));
        });
        var site = _main.One("Microsoft.Web/sites");
        Assert.Contains("parameters('hostBlobEndpoint')", site.Text("properties.functionAppConfig.deployment.storage.value"), StringComparison.Ordinal);
    }
}
