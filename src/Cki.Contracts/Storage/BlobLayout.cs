namespace Cki.Contracts.Storage;

/// <summary>
/// Every blob name of the storage layout (docs/architecture.md) is built here and nowhere else.
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

    /// <summary>
    /// <c>{family}/_READY</c> in <see cref="CheckpointsContainer"/>: written by a producer after a drop, it marks the family
    /// settled at once (no settle period) while it is newer than every other blob of the family.
    /// </summary>
    public static string ReadyMarker(string family) => $"{Segment(family, nameof(family))}/_READY";

    /// <summary><c>{family}/{source}/</c> in <see cref="CheckpointsContainer"/>: every version of one source.</summary>
    public static string SourcePrefix(string family, string source) => $"{Segment(family, nameof(family))}/{Segment(source, nameof(source))}/";

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

    /// <summary><c>{runId}/cki.yaml</c> in <see cref="RunsContainer"/>: the manifest as the run saw it, read by every job.</summary>
    public static string RunManifest(string runId) => $"{RunPrefix(runId)}cki.yaml";

    /// <summary><c>{runId}/summary.json</c> in <see cref="RunsContainer"/>: the run summary, success or failure.</summary>
    public static string RunSummary(string runId) => $"{RunPrefix(runId)}summary.json";

    /// <summary><c>{runId}/jobs/{jobId}/</c> in <see cref="RunsContainer"/>: one job's specs, results and outputs.</summary>
    public static string JobFolder(string runId, string jobId) => $"{RunPrefix(runId)}jobs/{Segment(jobId, nameof(jobId))}/";

    /// <summary>
    /// <c>{runId}/jobs/{jobId}/started.json</c> in <see cref="RunsContainer"/>: written by a job as it begins, holding the
    /// ETag of the spec it read, so that an attempt counts only when a job really started it.
    /// </summary>
    public static string JobStarted(string runId, string jobId) => $"{RunPrefix(runId)}jobs/{Segment(jobId, nameof(jobId))}/started.json";

    /// <summary>
    /// <c>{runId}/terminated.json</c> in <see cref="RunsContainer"/>: written before a run is terminated; no job of the run
    /// starts and nothing is written under <see cref="IntegratedContainer"/> for it once it exists.
    /// </summary>
    public static string RunTerminated(string runId) => $"{RunPrefix(runId)}terminated.json";

    /// <summary>A file a job writes into its folder.</summary>
    public static string JobOutput(string runId, string jobId, string fileName) => JobFolder(runId, jobId) + Segment(fileName, nameof(fileName));

    /// <summary>Whether a name in <see cref="RunsContainer"/> is a job result; gives its run and job.</summary>
    public static bool TryParseJobResult(string name, out string runId, out string jobId)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parts = name.Split('/');
        var ok = parts.Length == 4 && parts[1] == "jobs" && parts[3] == "result.json" && parts[0].Length > 0 && parts[2].Length > 0;
        runId = ok ? parts[0] : "";
        jobId = ok ? parts[2] : "";
        return ok;
    }

    /// <summary>A file of one run's published outputs.</summary>
    public static string IntegratedFile(string family, string runId, string fileName) =>
        IntegratedRunPrefix(family, runId) + Segment(fileName, nameof(fileName));

    /// <summary>Container of the self-hosted host's own state (trigger receipts).</summary>
    public const string HostContainer = "cki-host";

    /// <summary><c>receipts/{trigger}.json</c> in <see cref="HostContainer"/>: the blob versions a trigger has handled.</summary>
    public static string TriggerReceipts(string trigger) => $"receipts/{Segment(trigger, nameof(trigger))}.json";

    /// <summary>A blob's full name in the account, <c>container/name</c>, as specs and results carry it.</summary>
    public static string Qualified(string container, string name) => $"{Segment(container, nameof(container))}/{name}";

    /// <summary>Splits a <c>container/name</c> into its parts.</summary>
    public static (string Container, string Name) Split(string qualified)
    {
        ArgumentNullException.ThrowIfNull(qualified);
        var slash = qualified.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == qualified.Length - 1)
        {
            throw new ArgumentException($"'{qualified}' is not a blob name of the form container/name.", nameof(qualified));
        }

        return (qualified[..slash], qualified[(slash + 1)..]);
    }

    /// <summary>
    /// The source and version of a checkpoint file name in <see cref="CheckpointsContainer"/>
    /// (<c>{family}/{source}/{version}/{file}</c>); false for anything else (a manifest, a deeper name).
    /// </summary>
    public static bool TryParseCheckpointFile(string name, out string family, out string source, out string version, out string fileName)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parts = name.Split('/');
        var ok = parts.Length == 4 && parts.All(p => p.Length > 0 && p is not "." and not "..");
        (family, source, version, fileName) = ok ? (parts[0], parts[1], parts[2], parts[3]) : ("", "", "", "");
        return ok;
    }

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
