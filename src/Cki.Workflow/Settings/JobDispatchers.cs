using Azure.Identity;
using Cki.Contracts.Jobs;
using Cki.Workflow.Dispatch;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cki.Workflow.Settings;

/// <summary>The job dispatcher the settings name (<see cref="WorkflowSettings.Dispatcher"/>), the same way in both hosts.</summary>
public static class JobDispatchers
{
    /// <summary>
    /// Registers <see cref="IJobDispatcher"/>: local child processes (given <paramref name="local"/>'s options), or
    /// Jobs on AKS signed in as the host's managed identity.
    /// </summary>
    public static IServiceCollection AddCkiDispatcher(this IServiceCollection services, Func<IServiceProvider, LocalDispatcherOptions> local)
    {
        ArgumentNullException.ThrowIfNull(local);
        return services.AddSingleton<IJobDispatcher>(provider =>
        {
            var settings = provider.GetRequiredService<WorkflowSettings>();
            if (settings.UsesKubernetes)
            {
                var options = KubernetesSettings.Options(settings);
                var logger = provider.GetRequiredService<ILogger<KubernetesDispatcher>>();
                return new KubernetesDispatcher(KubernetesDispatcher.CreateClient(options, new DefaultAzureCredential(), logger), options, logger);
            }

            return new LocalProcessDispatcher(local(provider), provider.GetRequiredService<ILogger<LocalProcessDispatcher>>());
        });
    }

    /// <summary>
    /// What every local job gets in its environment: the storage connection string when there is one (a job of a
    /// host whose storage is a service URI signs in with its own identity instead).
    /// </summary>
    public static IReadOnlyDictionary<string, string> JobEnvironment(string? storageConnectionString) =>
        string.IsNullOrWhiteSpace(storageConnectionString)
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { [ComputeVariables.StorageConnectionString] = storageConnectionString };
}
