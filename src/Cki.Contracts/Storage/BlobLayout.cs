namespace Cki.Contracts.Storage;

/// <summary>
/// Every blob name of the storage layout (DESIGN.md) is built here and nowhere else.
/// </summary>
public static class BlobLayout
{
    /// <summary>Container of family manifests and input checkpoints.</summary>
    public const string CheckpointsContainer = "checkpoints";

    /// <summary>Container of data sets referenced by manifests.</summary>
    public const string DataContainer = "data";

    /// <summary>Container of runs' working areas.</summary>
    public const string RunsContainer = "runs";

    /// <summary>Container of published outputs.</summary>
    public const string IntegratedContainer = "integrated";

    /// <summary><c>{family}/cki.yaml</c> in <see cref="CheckpointsContainer"/>.</summary>
    public static string FamilyManifest(string family) => $"{Segment(family, nameof(family))}/cki.yaml";

    /// <summary><c>{family}/{source}/{version}/</c> in <see cref="CheckpointsContainer"/>: one input checkpoint.</summary>
    public static string CheckpointVersionPrefix(string family, string source, string version) =>
        $"{Segment(family, nameof(family))}/{Segment(source, nameof(source))}/{Segment(version, nameof(version))}/";

    /// <summary>A file of one input checkpoint version, e.g. <see cref="CheckpointFileNames.SingleFile"/>.</summary>
    public static string CheckpointFile(string family, string source, string version, string fileName) =>
        CheckpointVersionPrefix(family, source, version) + Segment(fileName, nameof(fileName));

    /// <summary><c>{runId}/</c> in <see cref="RunsContainer"/>.</summary>
    public static string RunPrefix(string runId) => $"{Segment(runId, nameof(runId))}/";

    /// <summary><c>{runId}/jobs/{jobId}/spec.json</c> in <see cref="RunsContainer"/>.</summary>
    public static string JobSpec(string runId, string jobId) => $"{RunPrefix(runId)}jobs/{Segment(jobId, nameof(jobId))}/spec.json";

    /// <summary><c>{runId}/jobs/{jobId}/result.json</c> in <see cref="RunsContainer"/>, written last by a job.</summary>
    public static string JobResult(string runId, string jobId) => $"{RunPrefix(runId)}jobs/{Segment(jobId, nameof(jobId))}/result.json";

    /// <summary><c>{family}/{runId}/</c> in <see cref="IntegratedContainer"/>: one run's published outputs.</summary>
    public static string IntegratedRunPrefix(string family, string runId) =>
        $"{Segment(family, nameof(family))}/{Segment(runId, nameof(runId))}/";

    /// <summary><c>{family}/latest.json</c> in <see cref="IntegratedContainer"/>, written last with an ETag condition.</summary>
    public static string LatestPointer(string family) => $"{Segment(family, nameof(family))}/latest.json";

    /// <summary>
    /// A single path segment: non-empty, no slash, not <c>.</c> or <c>..</c>, so that no name built here can
    /// escape its prefix.
    /// </summary>
    private static string Segment(string value, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, what);
        if (value.Contains('/', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal) || value is "." or "..")
        {
            throw new ArgumentException($"{what} '{value}' must be one path segment (no '/', '\\', '.' or '..').", what);
        }

        return value;
    }
}
