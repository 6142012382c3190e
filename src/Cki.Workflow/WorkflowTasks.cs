using Cki.Workflow.Activities;
using Cki.Workflow.Orchestration;
using Cki.Workflow.Triggers;
using Microsoft.DurableTask;

namespace Cki.Workflow;

/// <summary>
/// The one list of the workflow's orchestrators and activities. cki-host and the in-process test host register them
/// from here; the Functions app has one <c>[Function]</c> wrapper per entry, named as the class (its tests check
/// that every entry has one).
/// </summary>
public static class WorkflowTasks
{
    /// <summary>The orchestrators, by class (each is called by its class name).</summary>
    public static IReadOnlyList<Type> Orchestrators { get; } = [typeof(IntegrationOrchestrator), typeof(JobBatchOrchestrator), typeof(SettleOrchestrator)];

    /// <summary>The activities, by class (each is called by its class name).</summary>
    public static IReadOnlyList<Type> Activities { get; } =
    [
        typeof(ValidateRunActivity), typeof(StartJobActivity), typeof(ProbeJobActivity), typeof(AssembleActivity),
        typeof(WriteReportActivity), typeof(PublishActivity), typeof(SettleActivity), typeof(StartBatchActivity), typeof(ProbeBatchActivity),
        typeof(StopFailedRunActivity), typeof(StartJobsActivity),
    ];

    /// <summary>Registers every activity.</summary>
    public static DurableTaskRegistry AddCkiActivities(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var activity in Activities)
        {
            registry.AddActivity(activity);
        }

        return registry;
    }

    /// <summary>Registers every orchestrator and every activity.</summary>
    public static DurableTaskRegistry AddCkiTasks(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var orchestrator in Orchestrators)
        {
            registry.AddOrchestrator(orchestrator);
        }

        return registry.AddCkiActivities();
    }
}
