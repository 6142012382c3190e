namespace Cki.Infra.Tests.Bicep;

public sealed class EventGridTemplateTests
{
    [Fact]
    public void SystemTopic_Source_TheStorageAccount()
    {
        var topic = ArmTemplate.Load("main").One("Microsoft.EventGrid/systemTopics");

        Assert.Equal("Microsoft.Storage.StorageAccounts", topic.Text("properties.topicType"));
        Assert.Equal("[resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName'))]", topic.Text("properties.source"));
    }

    [Fact]
    public void Subscriptions_Triggers_CheckpointsAndJobResultsToTheBlobExtension()
    {
        var template = ArmTemplate.Load("event-subscriptions");
        var subscriptions = template.One("Microsoft.EventGrid/systemTopics/eventSubscriptions");
        var triggers = template.Modules[0].Template["variables"]!["triggers"]!.AsArray();

        Assert.NotNull(subscriptions.Node["copy"]); // one subscription per trigger
        Assert.Equal(["CheckpointChangedEventGrid", "JobResultWrittenEventGrid"], triggers.Select(t => (string)t!["function"]!));
        Assert.Equal(["/blobServices/default/containers/checkpoints/", "/blobServices/default/containers/runs/"], triggers.Select(t => (string)t!["subjectBeginsWith"]!));
        Assert.Equal("/result.json", (string)triggers[1]!["subjectEndsWith"]!);
        Assert.Equal("WebHook", subscriptions.Text("properties.destination.endpointType"));
        var endpoint = subscriptions.Text("properties.destination.properties.endpointUrl")!;
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.{1}&code={2}", endpoint, StringComparison.Ordinal);
        Assert.Equal("Microsoft.Storage.BlobCreated", (string)subscriptions.At("properties.filter.includedEventTypes.0")!);
    }

    [Fact]
    public void Subscriptions_Key_ASecureParameter()
    {
        var template = ArmTemplate.Load("event-subscriptions");

        Assert.Equal("securestring", (string)template.Modules[0].Template["parameters"]!["blobsExtensionKey"]!["type"]!);
    }
}
