using System.Text.RegularExpressions;

namespace Cki.Infra.Tests.Bicep;

public sealed partial class SecretsTemplateTests
{
    [Theory]
    [InlineData("main")]
    [InlineData("event-subscriptions")]
    public void Template_Text_NoListFunctionNoKeyNoConnectionSecret(string name)
    {
        var text = ArmTemplate.Load(name).Text;

        // listKeys, listSecrets, listCredentials, list(...) all hand out secrets at deployment time.
        Assert.DoesNotMatch(ListCall(), text);
        Assert.DoesNotContain("AccountKey", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("SharedAccessSignature", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("DefaultEndpointsProtocol", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("InstrumentationKey=", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Template_Outputs_NoneCarriesASecret()
    {
        var outputs = ArmTemplate.Load("main").Modules.SelectMany(m => m.Template["outputs"]?.AsObject() ?? []).ToList();

        Assert.NotEmpty(outputs); // none found would pass the loop below without checking anything
        foreach (var (output, node) in outputs)
        {
            Assert.DoesNotContain("secure", (string)node!["type"]!, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("key", output, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Registry_AdminUser_Off()
    {
        var registry = ArmTemplate.Load("main").One("Microsoft.ContainerRegistry/registries");

        Assert.False((bool)registry.At("properties.adminUserEnabled")!);
    }

    [Fact]
    public void ApplicationInsights_LocalAuth_Off()
    {
        var insights = ArmTemplate.Load("main").One("Microsoft.Insights/components");

        Assert.True((bool)insights.At("properties.DisableLocalAuth")!);
    }

    [GeneratedRegex(@"\blist[A-Za-z]*\(", RegexOptions.IgnoreCase)]
    private static partial Regex ListCall();
}
