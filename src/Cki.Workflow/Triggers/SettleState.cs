using System.Security.Cryptography;
using System.Text;
using Cki.Contracts.Storage;
using Cki.Workflow.Storage;

namespace Cki.Workflow.Triggers;

/// <summary>
/// A family's blobs as one listing sees them, for the settle rule: <see cref="Key"/> changes with any write under
/// <c>checkpoints/{family}/</c> (names and ETags), and <see cref="MarkedReady"/> says the producer's
/// <c>_READY</c> marker is newer than every other blob of the family (storage's times, compared only with each
/// other). They have one-second resolution: a blob written in the same second as the marker may have come after it
/// (a soak caught a next drop's first file doing just that and a run starting on half a drop), so a tie is not a
/// mark and the family waits for the settle period instead.
/// </summary>
/// <param name="Key">16 hex digits of SHA-256 over every blob's name and ETag.</param>
/// <param name="MarkedReady">Whether the marker is the newest blob.</param>
public sealed record SettleState(string Key, bool MarkedReady)
{
    /// <summary>The state of <paramref name="family"/> from a listing of its prefix.</summary>
    public static SettleState Of(string family, IReadOnlyList<BlobItemInfo> listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var marker = BlobLayout.ReadyMarker(family);
        var text = new StringBuilder();
        foreach (var blob in listing.OrderBy(b => b.Name, StringComparer.Ordinal))
        {
            text.Append(blob.Name).Append('=').Append(blob.ETag).Append('\n');
        }

        var ready = listing.FirstOrDefault(b => b.Name == marker) is { } found
            && listing.Where(b => b.Name != marker).All(b => b.LastModified < found.LastModified);
        return new SettleState(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16], ready);
    }
}
