using Cki.Workflow.Dispatch;
using Cki.Workflow.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cki.Functions.Hosting;

/// <summary>Registers what the function wrappers need from Cki.Workflow, from the shared settings.</summary>
public static class FunctionsWorkflowServices
{
    /// <summary>
    /// Registers the <c>Cki</c> settings through the options pattern (a wrong one fails the worker at start, naming it), storage
    /// (the <c>CkiStorage</c> connection, the Azure SDK way, the same the blob triggers use), the workflow's shared services, the dispatcher the settings name and the
    /// run starter factory.
    /// </summary>
    public static IServiceCollection AddCkiFunctionsWorkflow(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddCkiSettings<WorkflowSettings>(configuration);
        services.AddCkiStorage(configuration);
        services.AddCkiWorkflow(provider => LocalDispatcher(provider.GetRequiredService<WorkflowSettings>(), StorageSetting.ConnectionString(configuration)));
        services.AddSingleton<RunStarterFactory>();
        return services;
    }

    // The Functions app has no repository to find cki-compute.dll in: with dotnet, its path must be given.
    private static LocalDispatcherOptions LocalDispatcher(WorkflowSettings settings, string? storageConnectionString)
    {
        if (settings.ComputeCommand == "dotnet" && settings.ComputeArgumentList.Count == 0)
        {
            throw new SettingsException($"{WorkflowSettings.Section}:{nameof(WorkflowSettings.ComputeArguments)} is not set: the local dispatcher runs " +
                "'dotnet <cki-compute.dll> job --spec ...' and needs the path of cki-compute.dll (or set ComputeCommand to a published cki-compute).");
        }

        return settings.LocalDispatcher(JobDispatchers.JobEnvironment(storageConnectionString));
    }
}
