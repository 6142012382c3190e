using System.Text.Json.Nodes;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Cki.Functions.Hosting;
using Cki.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cki.Functions.Tests.Hosting;

/// <summary>
/// Rule reproduced: the deployment's Application Insights has local authentication off, so ingestion needs an Entra
/// token; the Azure Monitor exporter sends one only when given a credential.
/// </summary>
public sealed class TelemetryTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void AddCkiTelemetry_ConnectionStringAndClientId_ExporterSignsInAsTheAppsIdentity()
    {
        var services = new ServiceCollection();
        services.AddCkiTelemetry(Configuration(
            (BindingSettings.ApplicationInsightsConnectionString, "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.invalid/"),
            (Telemetry.ClientIdSetting, "11111111-1111-1111-1111-111111111111")));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().Get(Options.DefaultName);

        Assert.IsType<ManagedIdentityCredential>(options.Credential);
    }

    [Fact]
    public void Credential_NoClientId_TheDevelopersSignIn()
    {
        Assert.IsType<DefaultAzureCredential>(Telemetry.Credential(Configuration()));
    }

    // Without it the Functions host keeps its own Application Insights SDK path and the worker's OpenTelemetry is not the channel.
    [Fact]
    public void HostJson_TelemetryMode_OpenTelemetry()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")))!;

        Assert.Equal("OpenTelemetry", (string?)host["telemetryMode"]);
    }
}
