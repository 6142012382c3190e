using Cki.Compute.Checkpoints;
using Cki.Compute.Config;
using Cki.Contracts.Manifests;

namespace Cki.Compute.Jobs;

/// <summary>
/// The manifest's <c>merge:</c> options as the merge engine's <see cref="MergeConfig"/>: the same options give the
/// same tensors whether a merge runs in <c>cki-compute merge</c> or as the workflow's splice jobs.
/// </summary>
public static class ManifestMergeConfig
{
    /// <summary>
    /// The config of a merge of <paramref name="models"/> into <paramref name="output"/> under <paramref name="manifest"/>'s
    /// options, reading and writing through <paramref name="locations"/> (the job's storage account).
    /// </summary>
    public static MergeConfig From(FamilyManifest manifest, IReadOnlyList<string> models, string output, CheckpointLocations locations,
        string? method = null, string? baseUrl = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(locations);
        var merge = method is null ? manifest.Merge : manifest.Merge with { Method = method };
        return new MergeConfig
        {
            Models = models,
            Merge = merge with { Base = baseUrl },
            Task = manifest.Task == ManifestTasks.None ? null : manifest.Task,
            Candidates = manifest.Candidates,
            Output = output,
            Locations = locations,
            HashInputs = false,
        };
    }
}
