using System.Text.Json.Nodes;
using Cki.Contracts.Jobs;
using Cki.Contracts.Runs;
using Cki.Contracts.Storage;
using static Cki.Contracts.Storage.BlobLayout;

namespace Cki.Contracts.Documents;

/// <summary>
/// The catalogue of the JSON documents a run reads and writes: each one's place, type and bound, in one place
/// (docs/architecture.md lists them). Blob names come from <see cref="BlobLayout"/>; this adds what each holds.
/// </summary>
public static class RunDocuments
{
    /// <summary>A profile job's output: the input's file digests and tensor statistics.</summary>
    public const string ProfileFile = "profile.json";

    /// <summary>The whole model's compatibility summary, in its output folder.</summary>
    public const string CompatibilityFile = CheckpointFileNames.CompatibilitySummary;

    /// <summary>The evaluation, in the output folder (the run summary as the report step wrote it).</summary>
    public const string ReportFile = "report.json";

    /// <summary>Inputs with ETags and SHA-256, the manifest as the run saw it, tool versions; in the output folder.</summary>
    public const string ProvenanceFile = "provenance.json";

    /// <summary><c>runs/{runId}/jobs/{jobId}/spec.json</c>: what a job does.</summary>
    public static RunDocument<JobSpec> JobSpec(string runId, string jobId) => new(RunsContainer, BlobLayout.JobSpec(runId, jobId));

    /// <summary><c>runs/{runId}/jobs/{jobId}/started.json</c>: which spec version a job began on, where.</summary>
    public static RunDocument<JobStartedMark> JobStarted(string runId, string jobId) => new(RunsContainer, BlobLayout.JobStarted(runId, jobId));

    /// <summary><c>runs/{runId}/jobs/{jobId}/result.json</c>: a job's result, written last.</summary>
    public static RunDocument<JobResult> JobResult(string runId, string jobId) => new(RunsContainer, BlobLayout.JobResult(runId, jobId));

    /// <summary><c>runs/{runId}/summary.json</c>: the run summary of a completed or failed run.</summary>
    public static RunDocument<RunSummary> RunSummary(string runId) => new(RunsContainer, BlobLayout.RunSummary(runId));

    /// <summary><c>runs/{runId}/terminated.json</c>: who terminated a run, when and why.</summary>
    public static RunDocument<TerminationMark> Terminated(string runId) => new(RunsContainer, RunTerminated(runId));

    /// <summary>A profile job's <see cref="ProfileFile"/>, at the <c>container/name</c> its result gives.</summary>
    public static RunDocument<ProfileDocument> Profile(string qualified) => At<ProfileDocument>(qualified);

    /// <summary>The decide job's decision, at the <c>container/name</c> its result gives.</summary>
    public static RunDocument<PromotionDecision> Decision(string qualified) => At<PromotionDecision>(qualified);

    /// <summary><c>integrated/{family}/{runId}/model-i-of-n.compatibility.json</c>: one splice shard's summary.</summary>
    public static RunDocument<CompatibilitySummary> ShardCompatibility(string family, string runId, int shard, int shards) =>
        new(IntegratedContainer, IntegratedFile(family, runId, CheckpointFileNames.CompatibilitySummaryBeside(CheckpointFileNames.Shard(shard, shards))));

    /// <summary>A compatibility summary at a <c>container/name</c> (a shard's, or the whole model's).</summary>
    public static RunDocument<CompatibilitySummary> Compatibility(string qualified) => At<CompatibilitySummary>(qualified);

    /// <summary><c>integrated/{family}/{runId}/compatibility.json</c>: every shard's tensors in one summary.</summary>
    public static RunDocument<CompatibilitySummary> ModelCompatibility(string family, string runId) =>
        new(IntegratedContainer, IntegratedFile(family, runId, CompatibilityFile));

    /// <summary>A splice shard's heatmaps at a <c>container/name</c>.</summary>
    public static RunDocument<CompatibilityHeatmaps> Heatmaps(string qualified) => At<CompatibilityHeatmaps>(qualified);

    /// <summary><c>integrated/{family}/{runId}/report.json</c>: the evaluation.</summary>
    public static RunDocument<RunSummary> Report(string family, string runId) => new(IntegratedContainer, IntegratedFile(family, runId, ReportFile));

    /// <summary><c>integrated/{family}/{runId}/provenance.json</c>: what the model was made from.</summary>
    public static RunDocument<JsonObject> Provenance(string family, string runId) => new(IntegratedContainer, IntegratedFile(family, runId, ProvenanceFile));

    /// <summary>
    /// <c>integrated/{family}/latest.json</c>: the published run. Written in this form; read back leniently by
    /// <see cref="Runs.LatestPointer"/>, since people edit it by hand to roll back.
    /// </summary>
    public static RunDocument<PublishedRun> Latest(string family) => new(IntegratedContainer, LatestPointer(family), 1 << 20);

    /// <summary>The document of type <typeparamref name="T"/> at a <c>container/name</c> blob name (one a spec or result gives).</summary>
    public static RunDocument<T> At<T>(string qualified)
    {
        var (container, name) = Split(qualified);
        return new RunDocument<T>(container, name);
    }
}
