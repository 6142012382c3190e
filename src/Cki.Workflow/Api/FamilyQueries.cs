using Cki.Contracts.Storage;
using Cki.Workflow.Runs;
using Cki.Workflow.Triggers;
using Microsoft.DurableTask.Client;

namespace Cki.Workflow.Api;

/// <summary>One family as <c>GET /api/families</c> lists it.</summary>
/// <param name="Family">The family.</param>
/// <param name="Ready">Whether every source has a complete checkpoint under a manifest that can be used.</param>
/// <param name="Settled">Whether no settle period is running for it (a drop in progress is not settled).</param>
/// <param name="Reason">Why it is not ready: every incomplete source and what its newest version lacks, down to the file.</param>
/// <param name="RunId">The run id of its current inputs, when ready.</param>
public sealed record FamilyView(string Family, bool Ready, bool Settled, string? Reason, string? RunId);

/// <summary>The families query of the HTTP API, shared by both hosts.</summary>
public sealed class FamilyQueries(InputResolver resolver, DurableTaskClient client)
{
    /// <summary>Every family that has a manifest, by name.</summary>
    public async Task<IReadOnlyList<FamilyView>> ListAsync(CancellationToken cancellationToken)
    {
        var views = new List<FamilyView>();
        foreach (var family in (await resolver.FamiliesAsync(cancellationToken).ConfigureAwait(false)).Order(StringComparer.Ordinal))
        {
            if (!NameRule.IsValid(family))
            {
                views.Add(new FamilyView(family, false, true, $"not a family name ({NameRule.Description}): nothing runs for it", null));
                continue;
            }

            var inputs = await resolver.ResolveAsync(family, cancellationToken).ConfigureAwait(false);
            var settling = new OrchestrationQuery
            {
                InstanceIdPrefix = SettleOrchestrator.InstancePrefix(family),
                Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running],
                PageSize = 1,
            };
            var settled = true;
            await foreach (var _ in client.GetAllInstancesAsync(settling).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                settled = false;
                break;
            }

            views.Add(inputs.ManifestProblem is { } problem
                ? new FamilyView(family, false, settled, $"the manifest cannot be used: {problem} (a run of it fails saying so)", null)
                : new FamilyView(family, inputs.Ready, settled, inputs.Reason, inputs.Ready ? inputs.RunId : null));
        }

        return views;
    }
}
