using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cki.Functions.Hosting;

/// <summary>OpenTelemetry of the worker: the Functions defaults, exported to Azure Monitor when Application Insights is configured.</summary>
public static class Telemetry
{
    /// <summary>Adds OpenTelemetry with the Functions worker defaults, and the Azure Monitor exporter only when <see cref="BindingSettings.ApplicationInsightsConnectionString"/> is set.</summary>
    public static IServiceCollection AddCkiTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var telemetry = services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        if (!string.IsNullOrWhiteSpace(configuration[BindingSettings.ApplicationInsightsConnectionString]))
        {
            // The exporter reads the same setting itself.
            telemetry.UseAzureMonitorExporter();
        }

        return services;
    }
}
