using Cki.Contracts.Runs;

namespace Cki.Workflow.Runs;

/// <summary>
/// What a trigger finds for a family: ready (every source has a complete checkpoint, or the manifest cannot be read or
/// parsed so that the run can fail with the reason) or not ready yet, with why.
/// </summary>
/// <param name="Family">The family.</param>
/// <param name="Ready">Whether a run can start.</param>
/// <param name="Reason">Why not, when not ready: names every incomplete source and what its newest version lacks.</param>
/// <param name="ManifestETag">The manifest's ETag.</param>
/// <param name="Inputs">The inputs, model A first.</param>
/// <param name="Nightly">Whether the manifest asks for nightly re-integration.</param>
/// <param name="ManifestContentId">The manifest's content identity (see <see cref="RunInput.ContentIds"/>); null: its ETag stands in.</param>
/// <param name="ManifestProblem">
/// Why the manifest cannot be used (over the size limit, or not valid), when it cannot: a run still starts, to fail with
/// that reason where users look, but the family is not ready to integrate.
/// </param>
public sealed record FamilyInputs(string Family, bool Ready, string? Reason, string ManifestETag, IReadOnlyList<RunInput> Inputs, bool Nightly,
    string? ManifestContentId = null, string? ManifestProblem = null)
{
    /// <summary>
    /// The run id of this input set: family, manifest content and every input file's content (its ETag when storage
    /// gives no content identity), so that the same bytes uploaded again give the same id.
    /// </summary>
    public string RunId => RunIds.ForInputs(Family, Inputs
        .Select(i => new KeyValuePair<string, string>(i.Source, i.Version + ";" + string.Join(",", (i.ContentIds ?? i.ETags)
            .OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}"))))
        .Append(new KeyValuePair<string, string>("cki.yaml", ManifestContentId ?? ManifestETag))
        .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
}
