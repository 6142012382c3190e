using Cki.Contracts.Runs;
using Cki.Workflow.Activities;
using Cki.Workflow.Messages;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace Cki.Functions.Orchestration;

/// <summary>
/// One activity trigger per Cki.Workflow activity, named as the class the orchestrator calls by <c>nameof</c>.
/// Each builds its activity from the container (the activities take storage, dispatcher and loggers) and runs it.
/// </summary>
public sealed class ActivityFunctions(IServiceProvider services)
{
    /// <summary>Step 1: validation and planning.</summary>
    [Function(nameof(ValidateRunActivity))]
    public Task<RunPlan> ValidateRunAsync([ActivityTrigger] RunRequest input, FunctionContext context) =>
        RunAsync<ValidateRunActivity, RunRequest, RunPlan>(input, context);

    /// <summary>Writes a job's spec and dispatches it.</summary>
    [Function(nameof(StartJobActivity))]
    public Task<bool> StartJobAsync([ActivityTrigger] JobStart input, FunctionContext context) =>
        RunAsync<StartJobActivity, JobStart, bool>(input, context);

    /// <summary>Writes the specs of a fan-out's jobs and dispatches them.</summary>
    [Function(nameof(StartJobsActivity))]
    public Task<IReadOnlyList<JobStartOutcome>> StartJobsAsync([ActivityTrigger] IReadOnlyList<JobStart> input, FunctionContext context) =>
        RunAsync<StartJobsActivity, IReadOnlyList<JobStart>, IReadOnlyList<JobStartOutcome>>(input, context);

    /// <summary>Stops a failed run's jobs and removes its partial outputs.</summary>
    [Function(nameof(StopFailedRunActivity))]
    public Task<FailedRunCleanup> StopFailedRunAsync([ActivityTrigger] FailedRun input, FunctionContext context) =>
        RunAsync<StopFailedRunActivity, FailedRun, FailedRunCleanup>(input, context);

    /// <summary>Asks after a job whose event has not come.</summary>
    [Function(nameof(ProbeJobActivity))]
    public Task<JobCheck> ProbeJobAsync([ActivityTrigger] JobProbeRequest input, FunctionContext context) =>
        RunAsync<ProbeJobActivity, JobProbeRequest, JobCheck>(input, context);

    /// <summary>Step 5: the shard index, provenance and model card.</summary>
    [Function(nameof(AssembleActivity))]
    public Task<string> AssembleAsync([ActivityTrigger] AssembleRequest input, FunctionContext context) =>
        RunAsync<AssembleActivity, AssembleRequest, string>(input, context);

    /// <summary>The run's summary and report.</summary>
    [Function(nameof(WriteReportActivity))]
    public Task<RunSummary> WriteReportAsync([ActivityTrigger] RunSummary input, FunctionContext context) =>
        RunAsync<WriteReportActivity, RunSummary, RunSummary>(input, context);

    /// <summary>Step 8: <c>latest.json</c>.</summary>
    [Function(nameof(PublishActivity))]
    public Task<PublishOutcome> PublishAsync([ActivityTrigger] PublishRequest input, FunctionContext context) =>
        RunAsync<PublishActivity, PublishRequest, PublishOutcome>(input, context);

    private Task<TOutput> RunAsync<TActivity, TInput, TOutput>(TInput input, FunctionContext context)
        where TActivity : TaskActivity<TInput, TOutput>
    {
        var activity = ActivatorUtilities.CreateInstance<TActivity>(services);
        return activity.RunAsync(FunctionActivityContext.Of(context), input);
    }
}
