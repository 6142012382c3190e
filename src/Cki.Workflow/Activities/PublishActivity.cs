using System.Text.Json;
using Cki.Contracts.Storage;
using Cki.Workflow.Storage;
using Microsoft.DurableTask;

namespace Cki.Workflow.Activities;

/// <summary>What to publish.</summary>
/// <param name="Family">The family.</param>
/// <param name="RunId">The run whose outputs become the latest.</param>
/// <param name="Model">The integrated model's blob name.</param>
public sealed record PublishRequest(string Family, string RunId, string Model);

/// <summary>
/// Step 8: points <c>integrated/{family}/latest.json</c> at the run, written last and with an ETag condition on the
/// version read just before, so that concurrent publishers never interleave and readers never see a half-published run.
/// </summary>
public sealed class PublishActivity(WorkflowStorage storage) : TaskActivity<PublishRequest, string>
{
    private const int MaxConflicts = 8;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <inheritdoc />
    public override async Task<string> RunAsync(TaskActivityContext context, PublishRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var name = BlobLayout.LatestPointer(input.Family);
        var document = JsonSerializer.SerializeToUtf8Bytes(new
        {
            family = input.Family,
            run_id = input.RunId,
            folder = BlobLayout.Qualified(BlobLayout.IntegratedContainer, BlobLayout.IntegratedRunPrefix(input.Family, input.RunId)),
            model = input.Model,
            published_at = DateTimeOffset.UtcNow,
        }, Indented);
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var current = await storage.ReadSmallAsync(BlobLayout.IntegratedContainer, name, 1 << 20, CancellationToken.None).ConfigureAwait(false);
            var written = await storage.WriteSmallAsync(BlobLayout.IntegratedContainer, name, document, current?.ETag ?? "", CancellationToken.None).ConfigureAwait(false);
            if (written is not null)
            {
                return written;
            }
        }

        throw new InvalidOperationException($"{BlobLayout.IntegratedContainer}/{name}: changed by another publisher {MaxConflicts} times in a row; not published.");
    }
}
