using System.Text.Json;
using Cki.Testing;
using Cki.Workflow.Triggers;

namespace Cki.Functions.Tests.Triggers;

/// <summary>The settle orchestration, its activity and the families route, as the generated metadata gives them to the host.</summary>
public class SettleFunctionsMetadataTests
{
    private static JsonElement[] Bindings(string function)
    {
        var path = Path.Combine(RepositoryPaths.Root, "src", "Cki.Functions", "bin", RepositoryPaths.Configuration, "net10.0", "functions.metadata");
        using var metadata = JsonDocument.Parse(File.ReadAllText(path));
        return metadata.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == function)
            .GetProperty("bindings").EnumerateArray().Select(b => b.Clone()).ToArray();
    }

    private static string[] Types(string function) => Bindings(function).Select(b => b.GetProperty("type").GetString()!).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Metadata_SettleOrchestrator_IsAnOrchestrationTriggerOfItsClassName() =>
        Assert.Equal(["orchestrationTrigger"], Types(nameof(SettleOrchestrator)));

    [Fact]
    public void Metadata_SettleActivity_HasADurableClientToStartTheRun() =>
        Assert.Equal(["activityTrigger", "durableClient"], Types(nameof(SettleActivity)));

    [Fact]
    public void Metadata_ListFamilies_IsAFunctionKeyGetOfFamiliesWithADurableClient()
    {
        var trigger = Bindings("ListFamilies").Single(b => b.GetProperty("type").GetString() == "httpTrigger");
        Assert.Equal(("families", "Function"), (trigger.GetProperty("route").GetString(), trigger.GetProperty("authLevel").GetString()));
        Assert.Equal(["durableClient", "http", "httpTrigger"], Types("ListFamilies"));
    }
}
