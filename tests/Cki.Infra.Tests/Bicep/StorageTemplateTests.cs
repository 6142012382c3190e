using Cki.Contracts.Storage;

namespace Cki.Infra.Tests.Bicep;

public sealed class StorageTemplateTests
{
    private readonly ArmTemplate _main = ArmTemplate.Load("main");

    [Fact]
    public void StorageAccount_Security_SharedKeyAndPublicBlobsOffTls12HttpsOnly()
    {
        var account = _main.One("Microsoft.Storage/storageAccounts");

        Assert.False((bool)account.At("properties.allowSharedKeyAccess")!);
        Assert.False((bool)account.At("properties.allowBlobPublicAccess")!);
        Assert.True((bool)account.At("properties.defaultToOAuthAuthentication")!);
        Assert.Equal("TLS1_2", account.Text("properties.minimumTlsVersion"));
        Assert.True((bool)account.At("properties.supportsHttpsTrafficOnly")!);
    }

    [Fact]
    public void Containers_Design_EveryWorkflowContainerPrivate()
    {
        var module = _main.Module("storage");
        var names = module.Template["variables"]!["workflowContainers"]!.AsArray().Select(n => (string)n!).ToList();

        Assert.Equal(
            new[] { BlobLayout.CheckpointsContainer, BlobLayout.DataContainer, BlobLayout.RunsContainer, BlobLayout.IntegratedContainer }.Order(),
            names.Order());
        var containers = _main.One("Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.NotNull(containers.Node["copy"]); // one resource per name of the list
        Assert.Equal("None", containers.Text("properties.publicAccess"));
    }
}
