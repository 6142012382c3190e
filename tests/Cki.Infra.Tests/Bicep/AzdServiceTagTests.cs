using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cki.Infra.Tests.Bicep;

/// <summary>
/// Rule reproduced: azd's tag lookup. To deploy a service of azure.yaml, azd looks in the resource group for the
/// resource whose <c>azd-service-name</c> tag equals the service's name, by that tag alone, and stops when it finds
/// none or more than one. The tags are evaluated as Resource Manager would evaluate them (module parameters, unions).
/// </summary>
public sealed partial class AzdServiceTagTests
{
    private const string ServiceTag = "azd-service-name";

    private static readonly Dictionary<string, JsonNode?> RootParameters = new(StringComparer.Ordinal)
    {
        ["environmentName"] = "test",
        ["location"] = "eastus",
    };

    // Every resource's evaluated tag value, with the resource's type, for the resources that carry the tag.
    private static List<(string Service, string Type)> Tagged() =>
        ArmTemplate.Load("main").Resources
            .Select(r => (Tags: ArmExpression.Evaluate(r.Node["tags"], r.Module, RootParameters) as JsonObject, r.Type))
            .Where(r => r.Tags?[ServiceTag] is not null)
            .Select(r => ((string)r.Tags![ServiceTag]!, r.Type))
            .ToList();

    private static List<string> Services()
    {
        var yaml = RepositoryFiles.Read("azure.yaml");
        var block = ServicesBlock().Match(yaml);
        Assert.True(block.Success, "azure.yaml has no services block");
        return [.. ServiceName().Matches(block.Groups[1].Value).Select(m => m.Groups[1].Value)];
    }

    [Fact]
    public void ServiceTag_EveryServiceOfAzureYaml_OnExactlyOneResource()
    {
        var tagged = Tagged();
        var services = Services();

        Assert.NotEmpty(services);
        foreach (var service in services)
        {
            var carriers = tagged.Where(t => t.Service == service).Select(t => t.Type).ToList();
            Assert.True(carriers.Count == 1, $"azd-service-name '{service}' is on {carriers.Count} resources ({string.Join(", ", carriers)}): azd needs exactly one");
        }
    }

    [Fact]
    public void ServiceTag_EveryValue_OnOneResourceOnlyAndThatTheFunctionApp()
    {
        var tagged = Tagged();

        Assert.NotEmpty(tagged);
        Assert.All(tagged.GroupBy(t => t.Service), group => Assert.Single(group));
        Assert.Equal(("functions", "Microsoft.Web/sites"), Assert.Single(tagged, t => t.Service == "functions"));
    }

    [Fact]
    public void EnvironmentTag_EveryTaggedResource_CarriesTheEnvironmentName()
    {
        var template = ArmTemplate.Load("main");
        var tagged = template.Resources.Where(r => r.Node["tags"] is not null).ToList();

        Assert.NotEmpty(tagged);
        Assert.All(tagged, r => Assert.Equal("test", (string?)ArmExpression.Evaluate(r.Node["tags"], r.Module, RootParameters)?["azd-env-name"]));
    }

    // The services block: indented lines after "services:" up to the next top-level key.
    [GeneratedRegex(@"^services:\n((?:[ \t].*\n|\n)*)", RegexOptions.Multiline)]
    private static partial Regex ServicesBlock();

    [GeneratedRegex(@"^  ([A-Za-z0-9_-]+):", RegexOptions.Multiline)]
    private static partial Regex ServiceName();
}
