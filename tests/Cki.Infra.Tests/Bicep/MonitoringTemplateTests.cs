namespace Cki.Infra.Tests.Bicep;

/// <summary>Where logs go: a job's log must outlive its pod, and refusals and lost events must be visible somewhere.</summary>
public sealed class MonitoringTemplateTests
{
    private readonly ArmTemplate _main = ArmTemplate.Load("main");

    // A finished Job is deleted after ttlSecondsAfterFinished and its node scaled away: only Container Insights keeps its log.
    [Fact]
    public void ContainerInsights_Cluster_AgentOnWithEntraSignInAndAnAssociatedRule()
    {
        var cluster = _main.One("Microsoft.ContainerService/managedClusters");
        var rule = _main.One("Microsoft.Insights/dataCollectionRules");
        var association = _main.One("Microsoft.Insights/dataCollectionRuleAssociations");

        Assert.True((bool)cluster.At("properties.addonProfiles.omsagent.enabled")!);
        Assert.Equal("true", cluster.Text("properties.addonProfiles.omsagent.config.useAADAuth"));
        Assert.Equal("[parameters('workspaceId')]", cluster.Text("properties.addonProfiles.omsagent.config.logAnalyticsWorkspaceResourceID"));
        Assert.Contains("Microsoft-ContainerLogV2", rule.At("properties.dataFlows.0.streams")!.AsArray().Select(s => (string)s!));
        Assert.Equal("[parameters('workspaceId')]", rule.Text("properties.destinations.logAnalytics.0.workspaceResourceId"));
        Assert.StartsWith("[resourceId('Microsoft.ContainerService/managedClusters'", association.Text("scope"), StringComparison.Ordinal);
        Assert.Contains("'monitoring'", _main.Module("aks").Parameter("workspaceId"), StringComparison.Ordinal);
    }

    [Fact]
    public void DiagnosticSettings_ClusterBothAccountsBlobsAndTheTopic_ToTheWorkspace()
    {
        var settings = _main.OfType("Microsoft.Insights/diagnosticSettings").ToList();

        Assert.Equal(
            ["Microsoft.ContainerService/managedClusters", "Microsoft.EventGrid/systemTopics", "Microsoft.Storage/storageAccounts/blobServices", "Microsoft.Storage/storageAccounts/blobServices"],
            settings.Select(s => System.Text.RegularExpressions.Regex.Match(s.Text("scope")!, @"resourceId\('([^']+)'").Groups[1].Value).Order(StringComparer.Ordinal));
        Assert.All(settings, s => Assert.Equal("[parameters('workspaceId')]", s.Text("properties.workspaceId")));
        Assert.Contains("cluster-autoscaler", Categories("Microsoft.ContainerService/managedClusters"));
        Assert.Contains("kube-apiserver", Categories("Microsoft.ContainerService/managedClusters"));
        Assert.Equal(["DeliveryFailures"], Categories("Microsoft.EventGrid/systemTopics"));
        Assert.Equal(["StorageDelete", "StorageRead", "StorageWrite"], Categories("Microsoft.Storage/storageAccounts/blobServices").Order(StringComparer.Ordinal));
    }

    // Rule reproduced: with shared keys off on the accounts, Event Grid can dead-letter only with a managed identity.
    [Fact]
    public void EventSubscriptions_DeadLetter_ToTheAppsAccountWithTheTopicsIdentity()
    {
        var subscriptions = ArmTemplate.Load("event-subscriptions").One("Microsoft.EventGrid/systemTopics/eventSubscriptions");
        var topic = _main.One("Microsoft.EventGrid/systemTopics");

        Assert.Equal("SystemAssigned", subscriptions.Text("properties.deadLetterWithResourceIdentity.identity.type"));
        Assert.Equal("StorageBlob", subscriptions.Text("properties.deadLetterWithResourceIdentity.deadLetterDestination.endpointType"));
        Assert.Equal("[parameters('deadLetterContainer')]", subscriptions.Text("properties.deadLetterWithResourceIdentity.deadLetterDestination.properties.blobContainerName"));
        Assert.Null(subscriptions.At("properties.deadLetterDestination")); // the keyed form would fail on these accounts
        Assert.Equal("SystemAssigned", topic.Text("identity.type"));
        Assert.Contains("deadLetterAccountName=\"$AZURE_FUNCTIONS_STORAGE_ACCOUNT_NAME\"", RepositoryFiles.Read("infra", "scripts", "postdeploy.sh"), StringComparison.Ordinal);
    }

    private List<string> Categories(string scopeType) =>
        [.. _main.OfType("Microsoft.Insights/diagnosticSettings")
            .Where(s => s.Text("scope")!.Contains($"'{scopeType}'", StringComparison.Ordinal))
            .SelectMany(s => s.At("properties.logs")!.AsArray().Select(l => (string)l!["category"]!))
            .Distinct()];
}
