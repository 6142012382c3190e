using System.Security.Cryptography;
using System.Text;

namespace Cki.Workflow.Runs;

/// <summary>
/// Run instance ids derived from a family and the versions of its inputs: the same input set always gives the
/// same id, so however often a trigger fires for one drop, at most one run starts.
/// </summary>
public static class RunIds
{
    /// <summary>
    /// The id of the run that integrates <paramref name="inputVersions"/> (source name to version, e.g. an ETag)
    /// of <paramref name="family"/>: <c>{family}-{first 16 hex digits of SHA-256}</c>, independent of input order.
    /// </summary>
    public static string ForInputs(string family, IReadOnlyDictionary<string, string> inputVersions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(family);
        ArgumentNullException.ThrowIfNull(inputVersions);
        if (inputVersions.Count == 0)
        {
            throw new ArgumentException("A run needs at least one input.", nameof(inputVersions));
        }

        var canonical = new StringBuilder(family).Append('\n');
        foreach (var (source, version) in inputVersions.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            canonical.Append(source).Append('=').Append(version).Append('\n');
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString()));
        return $"{family}-{Convert.ToHexStringLower(hash)[..16]}";
    }

    /// <summary>The family of a run id: everything before its last dash (run ids are <c>{family}-{16 hex}</c>).</summary>
    public static string FamilyOf(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        var dash = runId.LastIndexOf('-');
        return dash > 0 ? runId[..dash] : runId;
    }
}
