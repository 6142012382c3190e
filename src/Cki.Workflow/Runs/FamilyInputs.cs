using Cki.Contracts.Runs;

namespace Cki.Workflow.Runs;

/// <summary>
/// What a trigger finds for a family: ready (every source has a complete checkpoint, or the manifest does not parse
/// so that the run can fail with the reason) or not ready yet, with why.
/// </summary>
/// <param name="Family">The family.</param>
/// <param name="Ready">Whether a run can start.</param>
/// <param name="Reason">Why not, when not ready.</param>
/// <param name="ManifestETag">The manifest's ETag.</param>
/// <param name="Inputs">The inputs, model A first.</param>
/// <param name="Nightly">Whether the manifest asks for nightly re-integration.</param>
public sealed record FamilyInputs(string Family, bool Ready, string? Reason, string ManifestETag, IReadOnlyList<RunInput> Inputs, bool Nightly)
{
    /// <summary>The run id of this input set: family, manifest version and every input file's version.</summary>
    public string RunId => RunIds.ForInputs(Family, Inputs
        .Select(i => new KeyValuePair<string, string>(i.Source, i.Version + ";" + string.Join(",", i.ETags.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}"))))
        .Append(new KeyValuePair<string, string>("cki.yaml", ManifestETag))
        .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
}
