using Azure.Identity;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Runs;
using Cki.Workflow.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cki.Functions.Hosting;

/// <summary>Registers what the function wrappers need from Cki.Workflow.</summary>
public static class WorkflowServices
{
    /// <summary>
    /// Storage (connection string, else account URL with <see cref="DefaultAzureCredential"/>), the input resolver,
    /// the run starter factory, the run settings and the job dispatcher.
    /// </summary>
    public static IServiceCollection AddCkiWorkflow(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(_ => Storage(configuration));
        services.AddSingleton<InputResolver>();
        services.AddSingleton(_ => CkiSettings.RunSettings(configuration));
        services.AddSingleton<RunStarterFactory>();
        // The local dispatcher runs jobs as child processes of this worker; the kubernetes dispatcher (AKS GPU
        // node pool) replaces it in Azure and is a later issue.
        services.AddSingleton<IJobDispatcher>(provider => new LocalProcessDispatcher(
            CkiSettings.LocalDispatcher(configuration), provider.GetRequiredService<ILogger<LocalProcessDispatcher>>()));
        return services;
    }

    private static WorkflowStorage Storage(IConfiguration configuration)
    {
        if (configuration[CkiSettings.StorageConnectionString] is { Length: > 0 } connection)
        {
            return new WorkflowStorage(connection);
        }

        if (configuration[CkiSettings.StorageAccountUrl] is { Length: > 0 } url)
        {
            return Uri.TryCreate(url, UriKind.Absolute, out var account)
                ? new WorkflowStorage(account, new DefaultAzureCredential())
                : throw new InvalidOperationException($"{CkiSettings.StorageAccountUrl}: '{url}' is not an absolute URL.");
        }

        throw new InvalidOperationException($"Set {CkiSettings.StorageConnectionString} (e.g. UseDevelopmentStorage=true for Azurite) or {CkiSettings.StorageAccountUrl} (managed identity).");
    }
}
