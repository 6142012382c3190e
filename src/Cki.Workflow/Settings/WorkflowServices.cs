using Cki.Workflow.Dispatch;
using Cki.Workflow.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace Cki.Workflow.Settings;

/// <summary>What both hosts register from the workflow's settings, in one place.</summary>
public static class WorkflowServices
{
    /// <summary>
    /// The settings, the run settings, the input resolver, the clock and the job dispatcher
    /// (<paramref name="local"/> gives the local dispatcher's options). Storage is registered by
    /// <see cref="StorageSetting.AddCkiStorage"/>.
    /// </summary>
    public static IServiceCollection AddCkiWorkflow(this IServiceCollection services, WorkflowSettings settings, Func<IServiceProvider, LocalDispatcherOptions> local)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(settings);
        services.AddSingleton(settings.RunSettings);
        services.AddSingleton<InputResolver>();
        services.AddSingleton(TimeProvider.System);
        return services.AddCkiDispatcher(settings, local);
    }
}
