using System.Security.Cryptography;
using System.Text;

namespace Cki.Workflow.Runs;

/// <summary>
/// Run instance ids derived from a family and the versions of its inputs: the same input set always gives the
/// same id, so however often a trigger fires for one drop, at most one run starts.
/// </summary>
public static class RunIds
{
    private const int HashDigits = 16;

    /// <summary>
    /// The id of the run that integrates <paramref name="inputVersions"/> (source name to version, e.g. an ETag)
    /// of <paramref name="family"/>: <c>{family}-{first 16 hex digits of SHA-256}</c>, independent of input order.
    /// </summary>
    public static string ForInputs(string family, IReadOnlyDictionary<string, string> inputVersions)
    {
        Contracts.Storage.NameRule.EnsureFamily(family);
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
        return $"{family}-{Convert.ToHexStringLower(hash)[..HashDigits]}";
    }

    /// <summary>
    /// Whether an orchestration instance is a run: <c>{family}-{16 hex digits}</c> with a valid family name. The
    /// workflow's other instances (settle periods, batches) have '@' in their ids, which no family name can hold, so a
    /// family called <c>settle-x</c> or <c>batch</c> is never taken for one of them, nor they for runs. The one place
    /// that decides it: the run queries, the dashboard and the blob poller all ask here.
    /// </summary>
    public static bool IsRun(string? instanceId)
    {
        if (instanceId is null || instanceId.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        var dash = instanceId.LastIndexOf('-');
        return dash > 0 && instanceId.Length - dash - 1 == HashDigits && instanceId[(dash + 1)..].All(char.IsAsciiHexDigitLower)
            && Contracts.Storage.NameRule.IsValid(instanceId[..dash]);
    }

    /// <summary>The family of a run id: everything before its last dash (run ids are <c>{family}-{16 hex}</c>).</summary>
    public static string FamilyOf(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        var dash = runId.LastIndexOf('-');
        return dash > 0 ? runId[..dash] : runId;
    }
}
