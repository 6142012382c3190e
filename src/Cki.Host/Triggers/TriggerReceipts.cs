using System.Text.Json;
using Cki.Contracts.Storage;
using Cki.Workflow.Storage;

namespace Cki.Host.Triggers;

/// <summary>
/// The blob versions a polling trigger has handled, kept in <c>cki-host/receipts/{trigger}.json</c> so that each
/// version triggers once, across restarts too. Written with an ETag condition: two hosts never both claim a version.
/// Bounded: only receipts of blobs that can still trigger are kept.
/// </summary>
public sealed class TriggerReceipts(WorkflowStorage storage, string trigger)
{
    private const long MaxBytes = 64L << 20;
    private Dictionary<string, string> _handled = new(StringComparer.Ordinal);
    private string _etag = "";

    /// <summary>Loads the receipts.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var read = await storage.ReadSmallAsync(BlobLayout.HostContainer, BlobLayout.TriggerReceipts(trigger), MaxBytes, cancellationToken).ConfigureAwait(false);
        (_handled, _etag) = read is null
            ? (new Dictionary<string, string>(StringComparer.Ordinal), "")
            : (JsonSerializer.Deserialize<Dictionary<string, string>>(read.Value.Content) ?? [], read.Value.ETag);
    }

    /// <summary>Whether this version of the blob was handled.</summary>
    public bool Handled(BlobItemInfo blob) => _handled.TryGetValue(blob.Name, out var etag) && etag == blob.ETag;

    /// <summary>
    /// Records versions as handled, drops the receipts of names <paramref name="keep"/> rejects (blobs that are gone,
    /// runs that have ended) and saves when anything changed; false when another writer changed the receipts meanwhile.
    /// </summary>
    public async Task<bool> RecordAsync(IEnumerable<BlobItemInfo> blobs, Func<string, bool> keep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(keep);
        var changed = false;
        foreach (var blob in blobs)
        {
            changed |= !Handled(blob);
            _handled[blob.Name] = blob.ETag;
        }

        foreach (var name in _handled.Keys.Where(n => !keep(n)).ToList())
        {
            changed |= _handled.Remove(name);
        }

        if (!changed)
        {
            return true;
        }

        var written = await storage.WriteSmallAsync(BlobLayout.HostContainer, BlobLayout.TriggerReceipts(trigger),
            JsonSerializer.SerializeToUtf8Bytes(_handled), _etag, cancellationToken).ConfigureAwait(false);
        if (written is null)
        {
            await LoadAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }

        _etag = written;
        return true;
    }
}
