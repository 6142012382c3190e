using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Cki.Workflow.Storage;

namespace Cki.Workflow.Runs;

/// <summary>
/// Content identities of blobs: <c>md5:{base64}</c> from storage's Content-MD5 (set by storage for single-shot uploads,
/// or by the writer at commit) or from bytes in hand, else <c>etag:{etag}</c>. Identical bytes give the same MD5 id.
/// </summary>
public static class ContentIds
{
    /// <summary>The identity of a listed blob: its Content-MD5 when storage holds one, else its ETag.</summary>
    public static string Of(BlobItemInfo blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        return blob.ContentMd5 is { Length: > 0 } md5 ? "md5:" + md5 : "etag:" + blob.ETag;
    }

    /// <summary>The identity of bytes read whole (the same form storage's Content-MD5 gives).</summary>
    [SuppressMessage("Security", "CA5351", Justification = "MD5 is storage's content identity (Content-MD5) here, not a security measure.")]
    public static string Of(ReadOnlySpan<byte> content) => "md5:" + Convert.ToBase64String(MD5.HashData(content));
}
