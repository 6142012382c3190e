using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cki.Functions.Hosting;

/// <summary>OpenTelemetry of the worker: the Functions defaults, exported to Azure Monitor when Application Insights is configured.</summary>
public static class Telemetry
{
    /// <summary>The setting with the client id of the app's user-assigned identity (also what DefaultAzureCredential reads).</summary>
    public const string ClientIdSetting = "AZURE_CLIENT_ID";

    /// <summary>
    /// Adds OpenTelemetry with the Functions worker defaults, and the Azure Monitor exporter only when
    /// <see cref="BindingSettings.ApplicationInsightsConnectionString"/> is set, signing in with <see cref="Credential"/>:
    /// the deployment's Application Insights has local authentication off, so an exporter without a credential is refused
    /// (the exporter does not read APPLICATIONINSIGHTS_AUTHENTICATION_STRING itself).
    /// </summary>
    public static IServiceCollection AddCkiTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var telemetry = services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        if (!string.IsNullOrWhiteSpace(configuration[BindingSettings.ApplicationInsightsConnectionString]))
        {
            // The exporter reads the connection string itself.
            var credential = Credential(configuration);
            telemetry.UseAzureMonitorExporter(options => options.Credential = credential);
        }

        return services;
    }

    /// <summary>The app's managed identity when <see cref="ClientIdSetting"/> names one (in Azure), else the developer's sign-in.</summary>
    public static TokenCredential Credential(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[ClientIdSetting] is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
    }
}
