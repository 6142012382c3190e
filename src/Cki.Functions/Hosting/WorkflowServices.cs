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
    /// the run starter factory, the run settings and the job dispatcher (<see cref="CkiSettings.Dispatcher"/>).
    /// </summary>
    public static IServiceCollection AddCkiWorkflow(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(_ => Storage(configuration));
        services.AddSingleton<InputResolver>();
        services.AddSingleton(_ => CkiSettings.RunSettings(configuration));
        services.AddSingleton<RunStarterFactory>();
        // Local child processes by default; in Azure (CKI_DISPATCHER=kubernetes) Jobs on the AKS GPU pool, signed in as
        // the app's managed identity.
        services.AddSingleton<IJobDispatcher>(provider => CkiSettings.UsesKubernetes(configuration)
            ? CreateKubernetesDispatcher(configuration, provider.GetRequiredService<ILogger<KubernetesDispatcher>>())
            : new LocalProcessDispatcher(CkiSettings.LocalDispatcher(configuration), provider.GetRequiredService<ILogger<LocalProcessDispatcher>>()));
        return services;
    }

    private static KubernetesDispatcher CreateKubernetesDispatcher(IConfiguration configuration, ILogger<KubernetesDispatcher> logger)
    {
        var options = CkiSettings.KubernetesDispatcher(configuration);
        return new KubernetesDispatcher(KubernetesDispatcher.CreateClient(options, new DefaultAzureCredential()), options, logger);
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
