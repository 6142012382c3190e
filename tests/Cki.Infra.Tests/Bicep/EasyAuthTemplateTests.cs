namespace Cki.Infra.Tests.Bicep;

/// <summary>The optional Entra ID sign-in (App Service Authentication) in front of the Function App's HTTP routes.</summary>
public sealed class EasyAuthTemplateTests
{
    private readonly ArmResource _auth = Assert.Single(
        ArmTemplate.Load("main").OfType("Microsoft.Web/sites/config"), c => c.Node["name"]!.ToString().Contains("authsettingsV2", StringComparison.Ordinal));

    [Fact]
    public void EasyAuth_Condition_OnlyWithAnAppRegistration()
    {
        Assert.Equal("[not(empty(parameters('authClientId')))]", _auth.Text("condition"));
        Assert.StartsWith("${CKI_AUTH_CLIENT_ID", (string)System.Text.Json.Nodes.JsonNode.Parse(RepositoryFiles.Read("infra", "bicep", "main.parameters.json"))!["parameters"]!["authClientId"]!["value"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void EasyAuth_Settings_EntraSignInRequiredEverywhere()
    {
        Assert.True((bool)_auth.At("properties.platform.enabled")!);
        Assert.True((bool)_auth.At("properties.globalValidation.requireAuthentication")!);
        Assert.True((bool)_auth.At("properties.identityProviders.azureActiveDirectory.enabled")!);
        Assert.Equal("[parameters('authClientId')]", _auth.Text("properties.identityProviders.azureActiveDirectory.registration.clientId"));
        Assert.Contains("tenant().tenantId", _auth.Text("properties.identityProviders.azureActiveDirectory.registration.openIdIssuer"), StringComparison.Ordinal);
    }

    // Rule reproduced: Event Grid delivers to the blob extension's webhook with its key and cannot sign in; behind Easy Auth
    // the blob triggers would never fire.
    [Fact]
    public void EasyAuth_ExcludedPaths_TheBlobExtensionsWebhookThatEventGridCalls()
    {
        var excluded = _auth.At("properties.globalValidation.excludedPaths")!.AsArray().Select(p => (string)p!).ToList();
        var endpoint = ArmTemplate.Load("event-subscriptions").One("Microsoft.EventGrid/systemTopics/eventSubscriptions").Text("properties.destination.properties.endpointUrl")!;

        var path = Assert.Single(excluded);
        Assert.Contains($"{path}?functionName=", endpoint, StringComparison.Ordinal);
    }
}
