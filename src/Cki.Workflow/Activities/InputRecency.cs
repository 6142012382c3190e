using Cki.Contracts.Runs;
using Cki.Contracts.Storage;

namespace Cki.Workflow.Activities;

/// <summary>How a run's inputs stand against those of the published run.</summary>
public enum Recency
{
    /// <summary>No source is older and at least one is newer (or nothing was recorded to compare with).</summary>
    Newer,

    /// <summary>Every source shared by both is the same version, written at the same time.</summary>
    Same,

    /// <summary>Some source is older and none is newer: a late run of older inputs.</summary>
    Older,

    /// <summary>Some sources are newer and others older: neither run is simply the later one.</summary>
    Mixed,
}

/// <summary>
/// Orders two input sets source by source: by version folder (<see cref="VersionOrder"/>), then by when storage last
/// wrote the version's files (a version folder written again). The manifest counts as one more source. Sources that
/// only one side has are not compared.
/// </summary>
public static class InputRecency
{
    private const string ManifestKey = "cki.yaml";

    /// <summary>Compares a run's inputs and manifest with the published run's; says per source what differs.</summary>
    public static (Recency Recency, string Detail) Compare(IReadOnlyList<RunInput> inputs, PublishedManifest? manifest, PublishedRun published)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(published);
        var ours = Keys(inputs, manifest);
        var theirs = Keys(published.Inputs, published.Manifest);
        var newer = new List<string>();
        var older = new List<string>();
        foreach (var (source, (version, written)) in ours)
        {
            if (!theirs.TryGetValue(source, out var other))
            {
                continue;
            }

            var byVersion = VersionOrder.Instance.Compare(version, other.Version);
            var order = byVersion != 0 ? byVersion : written.CompareTo(other.Written);
            var text = byVersion != 0 ? $"{source} {version} vs {other.Version}" : $"{source} {version} written {written:u} vs {other.Written:u}";
            (order > 0 ? newer : order < 0 ? older : null)?.Add(text);
        }

        if (theirs.Count == 0)
        {
            return (Recency.Newer, $"{published.RunId} recorded no inputs to compare with");
        }

        return (newer.Count, older.Count) switch
        {
            (0, 0) => (Recency.Same, $"the same inputs as {published.RunId}"),
            (_, 0) => (Recency.Newer, $"newer than {published.RunId}: {string.Join("; ", newer)}"),
            (0, _) => (Recency.Older, $"older than the published {published.RunId}: {string.Join("; ", older)}"),
            _ => (Recency.Mixed, $"neither newer nor older than the published {published.RunId}: newer {string.Join("; ", newer)}; older {string.Join("; ", older)}"),
        };
    }

    private static Dictionary<string, (string Version, DateTimeOffset Written)> Keys(IReadOnlyList<RunInput> inputs, PublishedManifest? manifest)
    {
        var keys = new Dictionary<string, (string, DateTimeOffset)>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            keys[input.Source] = (input.Version, input.LastModified);
        }

        if (manifest is not null)
        {
            keys[ManifestKey] = ("", manifest.LastModified);
        }

        return keys;
    }
}
