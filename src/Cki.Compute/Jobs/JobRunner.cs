using System.Diagnostics;
using Cki.Contracts.Documents;
using Cki.Compute.Checkpoints;
using Cki.Compute.Merging;
using Cki.Contracts.Jobs;
using Cki.Contracts.Storage;

namespace Cki.Compute.Jobs;

/// <summary>
/// Runs one job from its spec: reads the spec, does the kind's work, and writes <c>result.json</c> LAST (success
/// with figures and outputs, or failure with the reason), so a result never announces outputs that are not there.
/// Jobs are idempotent: every output has a fixed name and is replaced whole by a rerun.
/// </summary>
public static class JobRunner
{
    /// <summary>The tool recorded in results.</summary>
    public static string Tool => $"cki-compute {MergeRun.ToolVersion}";

    /// <summary>
    /// Runs the job at <paramref name="specLocation"/> (a local file or a blob URL) in the account of
    /// <paramref name="connectionString"/> where it applies (see <see cref="BlobClients"/>); returns its result. The
    /// task's data, assessment, evaluation and retraining run on <paramref name="device"/> (the CPU when null).
    /// </summary>
    public static JobResult Run(string specLocation, string? connectionString, Action<string> log, CancellationToken cancellationToken,
        TorchSharp.torch.Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        var storage = JobStorage.For(specLocation, connectionString);
        JobSpec spec;
        string? specETag;
        try
        {
            (spec, specETag) = ReadSpec(specLocation, storage.Locations, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or Azure.RequestFailedException && TrySpecBlob(specLocation, out _, out _))
        {
            // A spec the job cannot read still gets a result beside it, so the run fails now with the reason instead of retrying.
            TrySpecBlob(specLocation, out var runId, out var jobId);
            var failed = new JobResult { RunId = runId, JobId = jobId, Kind = "unknown", Succeeded = false, Error = Describe(e), Tool = Tool };
            storage.Write(RunDocuments.JobResult(runId, jobId), failed, cancellationToken);
            log($"[run {runId} job {jobId}] failed: {failed.Error}");
            return failed;
        }

        if (specETag is not null)
        {
            // The attempt has begun: the orchestrator counts an attempt only when this mark names the spec it wrote.
            var started = new JobStartedMark(specETag, DateTimeOffset.UtcNow, Environment.MachineName, Environment.ProcessId);
            storage.Write(RunDocuments.JobStarted(spec.RunId, spec.JobId), started, cancellationToken);
        }

        storage = storage.PinnedTo(spec.InputVersions);
        var clock = Stopwatch.StartNew();
        JobResult result;
        try
        {
            using var context = new JobContext(spec, storage, line => log($"[run {spec.RunId} job {spec.JobId}] {line}"), cancellationToken, device);
            var outcome = spec switch
            {
                ProfileJobSpec p => ProfileJob.Run(context, p),
                AssessJobSpec a => AssessJob.Run(context, a),
                SpliceJobSpec s => SpliceJob.Run(context, s),
                EvaluateJobSpec e => EvaluateJob.Run(context, e),
                RetrainJobSpec r => RetrainJob.Run(context, r),
                DecideJobSpec d => DecideJob.Run(context, d),
                _ => throw new NotSupportedException($"Job kind '{spec.Kind}' is not known to this tool."),
            };
            result = JobResult.Success(spec, clock.Elapsed.TotalSeconds, outcome.Figures, outcome.Outputs, Tool);
        }
        catch (Exception e) when (Unwrap<InputChangedException>(e) is { } changed)
        {
            result = JobResult.Failure(spec, clock.Elapsed.TotalSeconds, changed.Message, Tool, JobFailureCauses.InputChanged);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            result = JobResult.Failure(spec, clock.Elapsed.TotalSeconds, Describe(e), Tool);
        }

        var resultDocument = RunDocuments.JobResult(spec.RunId, spec.JobId);
        storage.Write(resultDocument, result, cancellationToken);
        log($"[run {spec.RunId} job {spec.JobId}] {(result.Succeeded ? "succeeded" : "failed: " + result.Error)} in {result.Seconds:F1} s; result at {resultDocument.Qualified}");
        return result;
    }

    // The spec, and its blob's ETag when it is a blob (null for a local file).
    private static (JobSpec Spec, string? ETag) ReadSpec(string location, CheckpointLocations locations, CancellationToken cancellationToken)
    {
        byte[] bytes;
        string? etag = null;
        if (BlobClients.IsUrl(location))
        {
            var source = locations.OpenRead(location, cancellationToken);
            using (source)
            {
                if (source.Length > JobJson.MaxDocumentBytes)
                {
                    throw new InvalidDataException($"{location}: {source.Length} bytes, over the limit of {JobJson.MaxDocumentBytes} for a spec.");
                }

                bytes = new byte[source.Length];
                source.ReadExactly(0, bytes, cancellationToken);
                etag = source is BlobByteSource blob ? $"\"{blob.ETag.ToString().Trim('"')}\"" : null;
            }
        }
        else
        {
            var info = new FileInfo(location);
            if (!info.Exists)
            {
                throw new FileNotFoundException($"{location}: no such spec file.", location);
            }

            if (info.Length > JobJson.MaxDocumentBytes)
            {
                throw new InvalidDataException($"{location}: {info.Length} bytes, over the limit of {JobJson.MaxDocumentBytes} for a spec.");
            }

            bytes = File.ReadAllBytes(location);
        }

        return (JobJson.Deserialize<JobSpec>(bytes, location), etag);
    }

    // runs/{runId}/jobs/{jobId}/spec.json in a blob URL.
    private static bool TrySpecBlob(string location, out string runId, out string jobId)
    {
        runId = jobId = "";
        if (!BlobClients.IsUrl(location))
        {
            return false;
        }

        var parts = new Azure.Storage.Blobs.BlobUriBuilder(new Uri(location));
        return parts.BlobContainerName == BlobLayout.RunsContainer && parts.BlobName.EndsWith("/spec.json", StringComparison.Ordinal)
            && BlobLayout.TryParseJobResult(parts.BlobName[..^"spec.json".Length] + "result.json", out runId, out jobId);
    }

    // The exception of type T in e or its inner exceptions (a reader on a background task reports it wrapped).
    private static T? Unwrap<T>(Exception? e)
        where T : Exception => e switch
        {
            null => null,
            T found => found,
            AggregateException aggregate => aggregate.InnerExceptions.Select(Unwrap<T>).FirstOrDefault(f => f is not null),
            _ => Unwrap<T>(e.InnerException),
        };

    // The reason a user reads in the run's status: the message, with the inner one when it adds the cause.
    private static string Describe(Exception e) =>
        e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{e.Message} ({inner.Message})"
            : e.Message;
}
