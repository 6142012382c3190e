using Cki.Functions.Api;
using Cki.Functions.Hosting;
using Cki.Functions.Orchestration;
using Cki.Functions.Triggers;
using Cki.Workflow.Activities;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Orchestration;
using Cki.Workflow.Settings;
using Cki.Workflow.Storage;
using Cki.Workflow.Triggers;
using Cki.Workflow;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cki.Functions.Tests.Hosting;

/// <summary>The container the worker builds: every function class and every activity the wrappers create must resolve from it.</summary>
public class WorkflowServicesTests
{
    [Fact]
    public void AddCkiWorkflow_DevelopmentStorageAndLocalCompute_BuildsEveryFunctionAndActivity()
    {
        using var services = Services(("CkiStorage", "UseDevelopmentStorage=true"), ("Cki:ComputeArguments", "/opt/cki/cki-compute.dll"));

        Assert.IsType<LocalProcessDispatcher>(services.GetRequiredService<IJobDispatcher>());
        Type[] functions = [typeof(ActivityFunctions), typeof(CheckpointBlobFunction), typeof(JobResultBlobFunction), typeof(NightlyTimerFunction),
            typeof(StartRunFunction), typeof(RunQueryFunctions), typeof(FamilyFunctions), typeof(SettleFunctions)];
        // SettleActivity and the batch activities are built by SettleFunctions and JobBatchFunctions with the Durable client of
        // their binding, not from the container.
        Type[] withClient = [typeof(SettleActivity), typeof(StartBatchActivity), typeof(ProbeBatchActivity)];
        foreach (var type in functions.Concat(Activities().Where(t => !withClient.Contains(t))))
        {
            Assert.NotNull(ActivatorUtilities.CreateInstance(services, type));
        }
    }

    [Fact]
    public void AddCkiWorkflow_KubernetesDispatcherSetting_BuildsTheKubernetesDispatcher()
    {
        using var services = Services(("Cki:Dispatcher", "kubernetes"), ("Cki:KubernetesServer", "https://aks.example"), ("Cki:ComputeImage", "cr.example/cki-compute:1"));

        Assert.IsType<KubernetesDispatcher>(services.GetRequiredService<IJobDispatcher>());
    }

    [Fact]
    public void AddCkiWorkflow_StorageAsServiceUri_UsesThatAccountThroughTheAzureClientFactory()
    {
        using var services = Services(("CkiStorage:blobServiceUri", "https://ckistore.blob.core.windows.net/"), ("Cki:ComputeArguments", "/opt/cki/cki-compute.dll"));

        Assert.Equal(new Uri("https://ckistore.blob.core.windows.net/"), services.GetRequiredService<WorkflowStorage>().AccountUrl);
    }

    [Fact]
    public void AddCkiWorkflow_LocalDispatcherWithoutTheComputeDll_FailsNamingComputeArguments()
    {
        using var services = Services();

        var error = Assert.Throws<SettingsException>(services.GetRequiredService<IJobDispatcher>);
        Assert.Contains("Cki:ComputeArguments", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCkiWorkflow_BadSetting_FailsAtStartNamingIt()
    {
        using var services = Services(("Cki:MaxAttempts", "0"));

        // What the host runs as it starts (ValidateOnStart).
        var error = Assert.Throws<SettingsException>(services.GetRequiredService<IStartupValidator>().Validate);
        Assert.Contains("Cki:MaxAttempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCkiWorkflow_UnknownSetting_RefusedByTheBinderAtStartNamingIt()
    {
        using var services = Services(("Cki:MaxAtempts", "2"));

        var error = Assert.ThrowsAny<InvalidOperationException>(services.GetRequiredService<IStartupValidator>().Validate);
        Assert.Contains("MaxAtempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCkiWorkflow_ChoiceGivenByNumber_FailsAtStartNamingIt()
    {
        using var services = Services(("Cki:LocalJobs", "1"), ("Cki:ComputeArguments", "/opt/cki/cki-compute.dll"));

        var error = Assert.Throws<SettingsException>(services.GetRequiredService<IStartupValidator>().Validate);
        Assert.Contains("Cki:LocalJobs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WorkflowTasks_EveryActivityAndOrchestrator_HasAFunctionOfItsName()
    {
        var functions = typeof(ActivityFunctions).Assembly.GetTypes().SelectMany(t => t.GetMethods())
            .Select(m => m.GetCustomAttributes(typeof(Microsoft.Azure.Functions.Worker.FunctionAttribute), false).Cast<Microsoft.Azure.Functions.Worker.FunctionAttribute>().FirstOrDefault()?.Name)
            .Where(n => n is not null).ToHashSet();

        Assert.All(WorkflowTasks.Activities.Concat(WorkflowTasks.Orchestrators), t => Assert.Contains(t.Name, functions));
        Assert.Equal(Activities().OrderBy(t => t.Name), WorkflowTasks.Activities.OrderBy(t => t.Name));
    }

    internal static IEnumerable<Type> Activities() =>
        typeof(ValidateRunActivity).Assembly.GetExportedTypes().Where(t => !t.IsAbstract && t.BaseType is { IsGenericType: true } b && b.GetGenericTypeDefinition() == typeof(TaskActivity<,>));

    internal static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    // The worker's host registers its configuration too (the checkpoint trigger reads its settle period from it).
    private static ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var configuration = Configuration(settings);
        return new ServiceCollection().AddLogging().AddSingleton(configuration).AddCkiFunctionsWorkflow(configuration).BuildServiceProvider();
    }
}
