namespace Cki.Contracts.Jobs;

/// <summary>
/// The version of one input blob a run started on: every job reads the blob only at this version, so that a producer
/// who overwrites an input in place during a run can never make one run read two versions of it.
/// </summary>
/// <param name="ETag">The blob's ETag when the run was started (quoted or not: compared without the quotes).</param>
/// <param name="ContentId">
/// Its content identity (<c>md5:{base64}</c> of storage's Content-MD5), when storage held one: a blob uploaded again
/// with the same bytes has a new ETag but the same content, and is still the version the run started on.
/// </param>
public sealed record InputVersion(string ETag, string? ContentId = null)
{
    /// <summary>The ETag in the quoted form storage answers reads with.</summary>
    public string QuotedETag => $"\"{ETag.Trim('"')}\"";

    /// <summary>Whether a blob that now has <paramref name="etag"/> and <paramref name="contentMd5"/> is still this version.</summary>
    public bool Matches(string etag, byte[]? contentMd5) =>
        string.Equals(etag.Trim('"'), ETag.Trim('"'), StringComparison.Ordinal)
        || (ContentId is { } id && id.StartsWith(ContentIdPrefix, StringComparison.Ordinal) && contentMd5 is { Length: > 0 }
            && string.Equals(id[ContentIdPrefix.Length..], Convert.ToBase64String(contentMd5), StringComparison.Ordinal));

    private const string ContentIdPrefix = "md5:";
}
