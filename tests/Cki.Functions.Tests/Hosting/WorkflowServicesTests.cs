using Cki.Functions.Api;
using Cki.Functions.Hosting;
using Cki.Functions.Orchestration;
using Cki.Functions.Triggers;
using Cki.Workflow.Activities;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Storage;
using Cki.Workflow.Triggers;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace Cki.Functions.Tests.Hosting;

/// <summary>The container the worker builds: every function class and every activity the wrappers create must resolve from it.</summary>
public class WorkflowServicesTests
{
    [Fact]
    public void AddCkiWorkflow_DevelopmentStorageAndLocalCompute_BuildsEveryFunctionAndActivity()
    {
        using var services = Services((CkiSettings.StorageConnectionString, "UseDevelopmentStorage=true"), (CkiSettings.ComputeCommand, "dotnet"));

        Assert.IsType<LocalProcessDispatcher>(services.GetRequiredService<IJobDispatcher>());
        Type[] functions = [typeof(ActivityFunctions), typeof(CheckpointBlobFunction), typeof(JobResultBlobFunction), typeof(NightlyTimerFunction),
            typeof(StartRunFunction), typeof(RunQueryFunctions), typeof(FamilyFunctions), typeof(SettleFunctions)];
        // SettleActivity is built by SettleFunctions with the Durable client of its binding, not from the container.
        foreach (var type in functions.Concat(Activities().Where(t => t != typeof(SettleActivity))))
        {
            Assert.NotNull(ActivatorUtilities.CreateInstance(services, type));
        }
    }

    [Fact]
    public void AddCkiWorkflow_KubernetesDispatcherSetting_BuildsTheKubernetesDispatcher()
    {
        using var services = Services((CkiSettings.StorageConnectionString, "UseDevelopmentStorage=true"), (CkiSettings.Dispatcher, "kubernetes"),
            (CkiSettings.KubernetesServer, "https://aks.example"), (CkiSettings.ComputeImage, "cr.example/cki-compute:1"));

        Assert.IsType<KubernetesDispatcher>(services.GetRequiredService<IJobDispatcher>());
    }

    [Fact]
    public void AddCkiWorkflow_AccountUrlOnly_UsesThatAccount()
    {
        using var services = Services((CkiSettings.StorageAccountUrl, "https://ckistore.blob.core.windows.net/"), (CkiSettings.ComputeCommand, "dotnet"));

        Assert.Equal(new Uri("https://ckistore.blob.core.windows.net/"), services.GetRequiredService<WorkflowStorage>().AccountUrl);
    }

    [Fact]
    public void AddCkiWorkflow_NoStorageSetting_FailsNamingBothSettings()
    {
        using var services = Services((CkiSettings.ComputeCommand, "dotnet"));

        var error = Assert.Throws<InvalidOperationException>(services.GetRequiredService<WorkflowStorage>);
        Assert.Contains(CkiSettings.StorageConnectionString, error.Message, StringComparison.Ordinal);
        Assert.Contains(CkiSettings.StorageAccountUrl, error.Message, StringComparison.Ordinal);
    }

    internal static IEnumerable<Type> Activities() =>
        typeof(ValidateRunActivity).Assembly.GetExportedTypes().Where(t => !t.IsAbstract && t.BaseType is { IsGenericType: true } b && b.GetGenericTypeDefinition() == typeof(TaskActivity<,>));

    // The worker's host registers its configuration too (the checkpoint trigger reads its settle period from it).
    private static ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var configuration = CkiSettingsTests.Configuration(settings);
        return new ServiceCollection().AddLogging().AddSingleton(configuration).AddCkiWorkflow(configuration).BuildServiceProvider();
    }
}
