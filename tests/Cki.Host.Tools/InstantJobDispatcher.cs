using System.Collections.Concurrent;
using Cki.Contracts.Runs;
using Cki.Contracts.Documents;
using Cki.Contracts.Jobs;
using Cki.Contracts.Storage;
using Cki.Host.Triggers;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Storage;

namespace Cki.Host.Tools;

/// <summary>
/// <c>cki-host-tools bench</c>: a stand-in for the job processes that does no compute. A start writes at once
/// what a job of its kind leaves for the later steps (a profile's <c>profile.json</c>, a splice's compatibility summary,
/// no tensors) and its <c>result.json</c>, and wakes the blob poller, whose result trigger raises the event as for a real
/// job. What the run's wall time then holds is the workflow's own work: triggers, Durable Task messages and replays, activities.
/// </summary>
internal sealed class InstantJobDispatcher(WorkflowStorage storage, PollSignal poll) : IJobDispatcher
{
    private readonly ConcurrentDictionary<(string RunId, string JobId), bool> _done = new();

    /// <inheritdoc />
    public async Task StartAsync(JobLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var read = await storage.ReadSmallAsync(BlobLayout.RunsContainer, BlobLayout.JobSpec(launch.RunId, launch.JobId), JobJson.MaxDocumentBytes, cancellationToken)
            .ConfigureAwait(false) ?? throw new InvalidOperationException($"no spec for {launch.JobId}");
        var spec = JobJson.Deserialize<JobSpec>(read.Content, "spec.json");
        var outputs = new List<string>();
        var figures = new Dictionary<string, double>();
        switch (spec)
        {
            case ProfileJobSpec profile:
            {
                var name = BlobLayout.JobOutput(launch.RunId, launch.JobId, "profile.json");
                var document = new ProfileDocument { Checkpoint = profile.Checkpoint, Files = [new ProfiledFile(profile.Checkpoint, new string('0', 64))] };
                await storage.WriteSmallAsync(BlobLayout.RunsContainer, name, JobJson.Serialize(document), null, cancellationToken).ConfigureAwait(false);
                outputs.Add(BlobLayout.Qualified(BlobLayout.RunsContainer, name));
                figures[JobFigures.NonFinite] = 0;
                break;
            }

            case SpliceJobSpec splice:
            {
                var (container, folder) = BlobLayout.Split(splice.OutputFolder);
                var name = folder + CheckpointFileNames.CompatibilitySummaryBeside(CheckpointFileNames.Shard(splice.Shard, splice.ShardCount));
                var summary = new CompatibilitySummary("global-only", splice.Inputs, [.. splice.Tensors.Select(t => new TensorCompatibility(t, [], [], []))]);
                await storage.WriteAsync(RunDocuments.Compatibility(BlobLayout.Qualified(container, name)), summary, cancellationToken).ConfigureAwait(false);
                outputs.Add(BlobLayout.Qualified(container, name));
                break;
            }

            default:
                throw new InvalidOperationException($"cki-host-tools bench stands in for profile and splice jobs only, not {spec.Kind}.");
        }

        var result = new JobResult
        {
            RunId = launch.RunId, JobId = launch.JobId, Kind = spec.Kind, Succeeded = true, Seconds = 0, Figures = figures, Outputs = outputs, Tool = "cki-host-tools bench (instant jobs)",
        };
        await storage.WriteSmallAsync(BlobLayout.RunsContainer, BlobLayout.JobResult(launch.RunId, launch.JobId), JobJson.Serialize(result), null, cancellationToken)
            .ConfigureAwait(false);
        _done[(launch.RunId, launch.JobId)] = true;
        poll.Wake();
    }

    /// <inheritdoc />
    public Task<JobProbe> ProbeAsync(string runId, string jobId, TimeSpan timeout, CancellationToken cancellationToken) =>
        Task.FromResult(_done.ContainsKey((runId, jobId)) ? new JobProbe(JobState.Exited, "exit code 0") : new JobProbe(JobState.Lost, "not started here"));

    /// <inheritdoc />
    public Task<int> CancelRunAsync(string runId, CancellationToken cancellationToken) => Task.FromResult(0);
}
