using Cki.Workflow.Logging;
using Cki.Workflow.Messages;
using Cki.Workflow.Orchestration;
using Cki.Workflow.Runs;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Cki.Workflow.Triggers;

/// <summary>
/// Starts integration runs for the triggers (blob, schedule, HTTP). The run id derives from the family and its
/// input versions, so a burst of events for one drop, or a nightly pass over unchanged inputs, starts nothing new.
/// </summary>
public sealed class RunStarter(InputResolver resolver, DurableTaskClient client, RunSettings settings, ILogger<RunStarter> logger)
{
    /// <summary>
    /// Starts a run of <paramref name="family"/>'s current inputs unless one exists. A family that is not complete
    /// starts nothing unless <paramref name="evenIfIncomplete"/> (an explicit request), in which case the run fails
    /// in validation, naming what is missing.
    /// </summary>
    public async Task<StartOutcome> StartAsync(string family, string trigger, bool evenIfIncomplete, CancellationToken cancellationToken)
    {
        Contracts.Storage.NameRule.EnsureFamily(family);
        var inputs = await resolver.ResolveAsync(family, cancellationToken).ConfigureAwait(false);
        if (!inputs.Ready && (!evenIfIncomplete || inputs.ManifestETag.Length == 0))
        {
            WorkflowLog.FamilyNotReady(logger, family, inputs.Reason!);
            return new StartOutcome(family, null, false, inputs.Reason!);
        }

        var runId = inputs.RunId;
        if (await client.GetInstanceAsync(runId, cancellationToken).ConfigureAwait(false) is not null)
        {
            WorkflowLog.RunExists(logger, runId, family, trigger);
            return new StartOutcome(family, runId, false, "a run of these inputs exists already");
        }

        var request = new RunRequest(runId, family, inputs.ManifestETag, inputs.Inputs, trigger, settings, inputs.ManifestContentId);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(IntegrationOrchestrator), request,
                new StartOrchestrationOptions(runId).WithDedupeStatuses(Enum.GetValues<OrchestrationRuntimeStatus>()), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Another trigger scheduled the same id between the check and here: the dedupe rejects it, with an error
            // type that depends on the client's transport. Whatever failed, the instance existing is the answer.
            if (await client.GetInstanceAsync(runId, cancellationToken).ConfigureAwait(false) is not null)
            {
                WorkflowLog.RunExists(logger, runId, family, trigger);
                return new StartOutcome(family, runId, false, "a run of these inputs exists already");
            }

            throw;
        }

        WorkflowLog.RunStarted(logger, runId, family, trigger);
        return new StartOutcome(family, runId, true, "started");
    }

    /// <summary>The nightly pass: a run for every family that asks for it and whose inputs changed since its last run.</summary>
    public async Task<IReadOnlyList<StartOutcome>> StartNightlyAsync(CancellationToken cancellationToken)
    {
        var outcomes = new List<StartOutcome>();
        foreach (var family in await resolver.FamiliesAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var inputs = await resolver.ResolveAsync(family, cancellationToken).ConfigureAwait(false);
                if (inputs.Ready && inputs.Nightly)
                {
                    outcomes.Add(await StartAsync(family, "schedule", evenIfIncomplete: false, cancellationToken).ConfigureAwait(false));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One family that cannot start (storage trouble, a broken blob) must not cost every other family its run.
                WorkflowLog.NightlyFamilyFailed(logger, family, e.Message);
                outcomes.Add(new StartOutcome(family, null, false, e.Message));
            }
        }

        return outcomes;
    }
}
