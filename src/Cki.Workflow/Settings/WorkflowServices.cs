using Cki.Workflow.Dispatch;
using Cki.Workflow.Runs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cki.Workflow.Settings;

/// <summary>What both hosts register from the workflow's settings, in one place.</summary>
public static class WorkflowServices
{
    /// <summary>
    /// The settings through the options pattern: bound from <paramref name="configuration"/>'s <c>Cki</c> section by the configuration binder, which
    /// refuses a name that is not a setting; choices by name and every value in range (<see cref="SettingsReader.Check"/>),
    /// checked when the host starts. <see cref="WorkflowSettings"/> resolves to them.
    /// </summary>
    public static IServiceCollection AddCkiSettings<T>(this IServiceCollection services, IConfiguration configuration)
        where T : WorkflowSettings
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(WorkflowSettings.Section);
        services.AddOptions<T>()
            .Bind(section, binder => binder.ErrorOnUnknownConfiguration = true)
            .Validate(settings =>
            {
                SettingsReader.Check(settings, section);
                return true;
            })
            .ValidateOnStart();
        return services.AddSingleton<WorkflowSettings>(provider => provider.GetRequiredService<IOptions<T>>().Value);
    }

    /// <summary>
    /// From the registered <see cref="WorkflowSettings"/> (<see cref="AddCkiSettings{T}"/>, or an instance a host read
    /// itself): the run settings, the input resolver, the clock and the job dispatcher (<paramref name="local"/> gives
    /// the local dispatcher's options). Storage is registered by <see cref="StorageSetting.AddCkiStorage"/>.
    /// </summary>
    public static IServiceCollection AddCkiWorkflow(this IServiceCollection services, Func<IServiceProvider, LocalDispatcherOptions> local)
    {
        services.AddSingleton(provider => provider.GetRequiredService<WorkflowSettings>().RunSettings);
        services.AddSingleton<InputResolver>();
        services.AddSingleton(TimeProvider.System);
        return services.AddCkiDispatcher(local);
    }
}
