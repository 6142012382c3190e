using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cki.Infra.Tests.Bicep;

/// <summary>
/// infra/bicep/main.parameters.json (azd fills <c>${NAME}</c> from its environment) against the compiled main template,
/// and the parameters azd itself reads (the location's metadata).
/// </summary>
public sealed partial class MainParametersTests
{
    private static readonly JsonObject Template = ArmTemplate.Load("main").Modules[0].Template["parameters"]!.AsObject();

    private static JsonObject File() => JsonNode.Parse(RepositoryFiles.Read("infra", "bicep", "main.parameters.json"))!["parameters"]!.AsObject();

    [Fact]
    public void ParametersFile_EveryEntry_AParameterOfTheTemplateAndEveryRequiredOneGiven()
    {
        var given = File().Select(p => p.Key).ToList();

        Assert.NotEmpty(given);
        Assert.All(given, name => Assert.True(Template.ContainsKey(name), $"{name} is not a parameter of main.bicep"));
        Assert.All(Template.Where(p => p.Value!["defaultValue"] is null).Select(p => p.Key), name => Assert.Contains(name, given));
    }

    // Rule reproduced: a provision rewrites the site's app settings whole; the CA the postprovision hook reads survives
    // only if the template itself sets it, from azd's environment.
    [Fact]
    public void CertificateAuthority_FromAzdsEnvironmentToTheAppSetting()
    {
        var main = ArmTemplate.Load("main");
        var site = main.One("Microsoft.Web/sites");
        var setting = site.At("properties.siteConfig.appSettings")!.AsArray().Single(s => (string)s!["name"]! == "Cki__KubernetesCertificateAuthority");

        Assert.Matches(@"^\$\{CKI_KUBERNETES_CA(=)?\}$", (string)File()["kubernetesCertificateAuthority"]!["value"]!);
        Assert.Equal("[parameters('kubernetesCertificateAuthority')]", (string)setting!["value"]!);
        Assert.Equal("[parameters('kubernetesCertificateAuthority')]", main.Module("function-app").Parameter("kubernetesCertificateAuthority"));
        Assert.Equal("[parameters('kubernetesCertificateAuthority')]", main.Module("cki-resources").Parameter("kubernetesCertificateAuthority"));
        Assert.Equal("string", (string)Template["kubernetesCertificateAuthority"]!["type"]!); // public, not a secret
    }

    // Rule reproduced: azd asks for a location of the list the parameter allows when its metadata says azd type 'location';
    // the Flex Consumption plan exists in some regions only.
    [Fact]
    public void Location_AzdMetadataAndAnAllowedListOfRegionNames()
    {
        var location = Template["location"]!;
        var allowed = location["allowedValues"]!.AsArray().Select(v => (string)v!).ToList();

        Assert.Equal("location", (string)location["metadata"]!["azd"]!["type"]!);
        Assert.NotEmpty(allowed);
        Assert.All(allowed, r => Assert.Matches(RegionName(), r));
        Assert.Contains("eastus", allowed);
        Assert.Equal(allowed.Distinct().Count(), allowed.Count);
    }

    [Fact]
    public void ImageTag_FromAzdsEnvironmentThatPreprovisionPins()
    {
        Assert.StartsWith("${CKI_COMPUTE_IMAGE_TAG", (string)File()["computeImageTag"]!["value"]!, StringComparison.Ordinal);
        Assert.Contains("azd env set CKI_COMPUTE_IMAGE_TAG", RepositoryFiles.Read("infra", "scripts", "preprovision.sh"), StringComparison.Ordinal);
    }

    [GeneratedRegex("^[a-z]+[a-z0-9]*$")]
    private static partial Regex RegionName();
}
