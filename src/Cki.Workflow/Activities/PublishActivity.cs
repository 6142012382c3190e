using Cki.Contracts.Documents;
using Cki.Contracts.Jobs;
using Cki.Contracts.Runs;
using Cki.Contracts.Storage;
using Cki.Workflow.Messages;
using Cki.Workflow.Storage;
using Cki.Workflow.Termination;
using Microsoft.DurableTask;

namespace Cki.Workflow.Activities;

/// <summary>
/// Step 8: points <c>integrated/{family}/latest.json</c> at the run, written last and with an ETag condition on the
/// version read just before. Publishing only moves forward: a run whose inputs are older than the published run's
/// (source by source, see <see cref="InputRecency"/>), or newer in some sources and older in others, leaves
/// <c>latest.json</c> alone and is reported as superseded; its outputs stay in its own folder.
/// </summary>
public sealed class PublishActivity(WorkflowStorage storage) : TaskActivity<PublishRequest, PublishOutcome>
{
    private const int MaxConflicts = 8;

    /// <inheritdoc />
    public override async Task<PublishOutcome> RunAsync(TaskActivityContext context, PublishRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancellationToken = CancellationToken.None;
        var name = BlobLayout.LatestPointer(input.Family);
        var document = JobJson.Serialize(new PublishedRun
        {
            Family = input.Family,
            RunId = input.RunId,
            Folder = BlobLayout.Qualified(BlobLayout.IntegratedContainer, BlobLayout.IntegratedRunPrefix(input.Family, input.RunId)),
            Model = input.Model,
            PublishedAt = DateTimeOffset.UtcNow,
            Manifest = input.Manifest,
            Inputs = input.Inputs,
            Candidate = input.Candidate ?? CandidateNames.Integrated,
            Decision = input.Decision,
            Ensemble = input.Ensemble,
        });
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            await RunTermination.EnsureNotTerminatedAsync(storage, input.RunId, "publish", cancellationToken).ConfigureAwait(false);
            var current = await storage.ReadLatestAsync(input.Family, cancellationToken).ConfigureAwait(false);
            if (current?.Run is { } published && published.RunId != input.RunId)
            {
                var (recency, detail) = InputRecency.Compare(input.Inputs, input.Manifest, published);
                if (recency is Recency.Older or Recency.Mixed)
                {
                    return new PublishOutcome(false, published.RunId, detail);
                }
            }

            if (await storage.WriteSmallAsync(BlobLayout.IntegratedContainer, name, document, current?.ETag ?? "", cancellationToken).ConfigureAwait(false) is { } written)
            {
                if (await RunTermination.IsTerminatedAsync(storage, input.RunId, cancellationToken).ConfigureAwait(false))
                {
                    // A terminate came between the check above and the write: put the pointer back as it was.
                    await RestoreAsync(name, current is { } before ? (before.Content, before.ETag) : null, written, cancellationToken).ConfigureAwait(false);
                    throw new InvalidOperationException($"run {input.RunId} was terminated while it published; {BlobLayout.IntegratedContainer}/{name} is as it was.");
                }

                return new PublishOutcome(true, null, $"{BlobLayout.IntegratedContainer}/{name} points at {input.RunId}");
            }
        }

        throw new InvalidOperationException($"{BlobLayout.IntegratedContainer}/{name}: changed by another publisher {MaxConflicts} times in a row; not published.");
    }

    private async Task RestoreAsync(string name, (byte[] Content, string ETag)? previous, string written, CancellationToken cancellationToken)
    {
        if (previous is { } before)
        {
            await storage.WriteSmallAsync(BlobLayout.IntegratedContainer, name, before.Content, written, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await storage.DeleteAsync(BlobLayout.IntegratedContainer, name, written, cancellationToken).ConfigureAwait(false);
        }
    }
}
