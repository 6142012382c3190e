using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Cki.Workflow.Logging;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace Cki.Workflow.Dispatch;

/// <summary>
/// The <c>kubernetes</c> dispatcher: one <c>batch/v1</c> Job per attempt of a compute job, in the jobs namespace of
/// the AKS cluster (see <see cref="KubernetesJobs.Build"/>). It keeps no state that matters: a probe finds the Job
/// by its labels, so any instance of the Functions app can answer for a job another instance started.
/// </summary>
public sealed class KubernetesDispatcher : IJobDispatcher
{
    private readonly IKubernetes _client;
    private readonly KubernetesDispatcherOptions _options;
    private readonly ILogger<KubernetesDispatcher> _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, bool> _cancelledRuns = new(StringComparer.Ordinal);

    // The Job name of the newest attempt this instance created, per run and job: read by name (404 = lost).
    private readonly ConcurrentDictionary<string, string> _created = new(StringComparer.Ordinal);

    /// <summary>Creates the dispatcher over a client (tests pass one bound to a fake API server).</summary>
    public KubernetesDispatcher(IKubernetes client, KubernetesDispatcherOptions options, ILogger<KubernetesDispatcher> logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = client;
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// A client of the options' API server signed in with <paramref name="credential"/> (none: no token, for a loopback
    /// fake), whose calls go through <see cref="KubernetesRetryHandler"/> (<paramref name="logger"/> hears of each retry).
    /// </summary>
    public static Kubernetes CreateClient(KubernetesDispatcherOptions options, TokenCredential? credential, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var configuration = new KubernetesClientConfiguration
        {
            Host = options.Server.ToString(),
            TokenProvider = credential is null ? null : new EntraTokenProvider(credential),
            // Each try has its own timeout in the retry handler; the client's overall one would cut the retries short.
            HttpClientTimeout = Timeout.InfiniteTimeSpan,
        };
        if (options.CertificateAuthorityPem is { Length: > 0 } pem)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPem(pem);
            configuration.SslCaCerts = authorities;
        }

#pragma warning disable CA2000 // the client owns and disposes its handlers
        return new Kubernetes(configuration, new KubernetesRetryHandler(options, logger));
#pragma warning restore CA2000
    }

    /// <inheritdoc />
    public async Task StartAsync(JobLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (_cancelledRuns.ContainsKey(launch.RunId))
        {
            return;
        }

        var job = KubernetesJobs.Build(launch, _options);
        var name = job.Metadata.Name;
        try
        {
            await CallAsync("create Jobs", ct => _client.BatchV1.CreateNamespacedJobAsync(job, _options.Namespace, cancellationToken: ct), cancellationToken)
                .ConfigureAwait(false);
            KubernetesLog.JobCreated(_logger, launch.RunId, launch.JobId, launch.Attempt, name);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // The activity ran again (a retry or a host restart): this attempt's Job exists, so it is the one to follow.
            KubernetesLog.JobAdopted(_logger, launch.RunId, launch.JobId, launch.Attempt, name);
        }

        _created[Key(launch.RunId, launch.JobId)] = name;
        if (_cancelledRuns.ContainsKey(launch.RunId))
        {
            // Cancelled while the create was on its way: CancelRunAsync may have listed before the Job existed.
            await DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        }
        else if (job.Spec.Suspend == true)
        {
            await AdmitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<JobProbe> ProbeAsync(string runId, string jobId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var job = await FindAsync(runId, jobId, cancellationToken).ConfigureAwait(false);
        if (job is { Spec.Suspend: true } && !Finished(job))
        {
            var (inFlight, admitted) = await AdmitAsync(cancellationToken).ConfigureAwait(false);
            return new JobProbe(JobState.Queued, admitted.Contains(job.Metadata.Name)
                ? $"Job {job.Metadata.Name} admitted ({inFlight} of {Cap} CKI Jobs in flight); its pod is being created"
                : $"Job {job.Metadata.Name} waits for a slot: {inFlight} of {Cap} CKI Jobs in flight (Cki:MaxJobsInFlight)");
        }

        IReadOnlyList<V1Pod> pods = [];
        if (job is not null)
        {
            var list = await CallAsync("list Pods", ct => _client.CoreV1.ListNamespacedPodAsync(_options.Namespace, labelSelector: $"job-name={job.Metadata.Name}", cancellationToken: ct), cancellationToken)
                .ConfigureAwait(false);
            pods = [.. list.Items];
        }

        var answer = KubernetesJobStatus.Map(job, pods, timeout, _time.GetUtcNow());
        if (answer.Delete && job is not null)
        {
            await DeleteAsync(job.Metadata.Name, cancellationToken).ConfigureAwait(false);
        }

        if (answer.Probe.State is JobState.Exited or JobState.TimedOut or JobState.Lost)
        {
            // Nothing more to follow by name (a later probe finds the Job by its labels, if it is still there).
            _created.TryRemove(Key(runId, jobId), out _);
        }

        return answer.Probe;
    }

    /// <inheritdoc />
    public async Task<int> CancelRunAsync(string runId, CancellationToken cancellationToken)
    {
        _cancelledRuns[runId] = true;
        var selector = KubernetesJobs.RunSelector(runId);
        var jobs = await CallAsync("list Jobs", ct => _client.BatchV1.ListNamespacedJobAsync(_options.Namespace, labelSelector: selector, cancellationToken: ct), cancellationToken)
            .ConfigureAwait(false);
        var active = jobs.Items.Count(j => !Finished(j));
        await CallAsync("delete Jobs", ct => _client.BatchV1.DeleteCollectionNamespacedJobAsync(
            _options.Namespace, new V1DeleteOptions { PropagationPolicy = "Background" }, labelSelector: selector, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        KubernetesLog.RunCancelled(_logger, runId, jobs.Items.Count, active);
        await WaitForPodsGoneAsync(selector, cancellationToken).ConfigureAwait(false);
        return active;
    }

    // The jobs-in-flight cap: resumes the oldest suspended CKI Jobs of the namespace while fewer than the cap run or wait
    // for a node. A resumed Job's active deadline counts from its resumption, so the wait here costs it nothing. Any
    // instance may admit any run's Jobs (first come, first served); two admitting at the same moment may overshoot the
    // cap by what they both resumed, which the autoscaler absorbs as Pending pods.
    private async Task<(int InFlight, HashSet<string> Admitted)> AdmitAsync(CancellationToken cancellationToken)
    {
        var jobs = await CallAsync("list Jobs", ct => _client.BatchV1.ListNamespacedJobAsync(_options.Namespace, labelSelector: KubernetesJobs.AppSelector, cancellationToken: ct), cancellationToken)
            .ConfigureAwait(false);
        var waiting = jobs.Items.Where(j => !Finished(j)).ToList();
        var inFlight = waiting.Count(j => j.Spec?.Suspend != true);
        var admitted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in waiting.Where(j => j.Spec?.Suspend == true).OrderBy(j => j.Metadata.CreationTimestamp).ThenBy(j => j.Metadata.Name, StringComparer.Ordinal))
        {
            if (inFlight >= Cap)
            {
                break;
            }

            try
            {
                await CallAsync("update Jobs", ct => _client.BatchV1.PatchNamespacedJobAsync(Resume, job.Metadata.Name, _options.Namespace, cancellationToken: ct), cancellationToken)
                    .ConfigureAwait(false);
                KubernetesLog.JobAdmitted(_logger, job.Metadata.Name, inFlight + 1, Cap);
                admitted.Add(job.Metadata.Name);
                inFlight++;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                // Deleted meanwhile (its run was cancelled).
            }
        }

        return (inFlight, admitted);
    }

    private int Cap => _options.MaxJobsInFlight > 0 ? _options.MaxJobsInFlight : int.MaxValue;

    private static readonly V1Patch Resume = new("{\"spec\":{\"suspend\":false}}", V1Patch.PatchType.MergePatch);

    private static bool Finished(V1Job job) => (job.Status?.Conditions ?? []).Any(c => c.Status == "True" && c.Type is "Complete" or "Failed");

    // The Jobs are gone at once, their pods after the garbage collector and their grace period: wait (bounded) so
    // that, as with the local dispatcher, no stopped job is still writing when the cancel returns.
    private async Task WaitForPodsGoneAsync(string selector, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _options.CancelWait;
        while (true)
        {
            var pods = await CallAsync("list Pods", ct => _client.CoreV1.ListNamespacedPodAsync(_options.Namespace, labelSelector: selector, cancellationToken: ct), cancellationToken)
                .ConfigureAwait(false);
            if (pods.Items.Count == 0 || _time.GetUtcNow() >= deadline)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    // The Job of the job's newest attempt: by name when this instance created it, else by its labels.
    private async Task<V1Job?> FindAsync(string runId, string jobId, CancellationToken cancellationToken)
    {
        if (_created.TryGetValue(Key(runId, jobId), out var name))
        {
            try
            {
                return await CallAsync("read Jobs", ct => _client.BatchV1.ReadNamespacedJobAsync(name, _options.Namespace, cancellationToken: ct), cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }

        var jobs = await CallAsync("list Jobs", ct => _client.BatchV1.ListNamespacedJobAsync(_options.Namespace, labelSelector: KubernetesJobs.JobSelector(runId, jobId), cancellationToken: ct), cancellationToken)
            .ConfigureAwait(false);
        return jobs.Items.MaxBy(j => j.Metadata.Labels is { } labels && labels.TryGetValue(KubernetesJobs.AttemptLabel, out var text) && int.TryParse(text, out var attempt) ? attempt : 0);
    }

    private async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync("delete Jobs", ct => _client.BatchV1.DeleteNamespacedJobAsync(name, _options.Namespace, propagationPolicy: "Background", cancellationToken: ct), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Gone already.
        }
    }

    // One API call (KubernetesRetryHandler has retried what may pass): a refusal for want of rights says which role is
    // missing; a server that stayed unavailable is a KubernetesUnavailableException, which the workflow retries later.
    private async Task<T> CallAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            throw new UnauthorizedAccessException(
                $"The Kubernetes API server at {_options.Server} refused to {what} in namespace '{_options.Namespace}' ({(int)e.Response.StatusCode} {e.Response.StatusCode}): "
                + "the workflow's identity needs the 'CKI job dispatcher' role (batch/v1 Jobs create, read, update, delete; Pods read) on that namespace "
                + "(an Azure RBAC assignment on {cluster}/namespaces/{namespace}, made by infra/bicep). Server said: " + e.Response.Content, e);
        }
        catch (HttpOperationException e) when (KubernetesRetryHandler.IsTransient(e.Response.StatusCode))
        {
            throw Unavailable(what, $"answered {(int)e.Response.StatusCode} {e.Response.StatusCode} every time ({e.Response.Content})", e);
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unavailable(what, $"could not be reached: {e.Message}", e);
        }
        catch (Exception e) when (e is TimeoutRejectedException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw Unavailable(what, $"did not answer within {_options.CallTimeout.TotalSeconds:F0} s", e);
        }
    }

    private KubernetesUnavailableException Unavailable(string what, string how, Exception inner) =>
        new($"The Kubernetes API server at {_options.Server} was asked to {what} {_options.CallAttempts} times and {how}.", inner);

    private static string Key(string runId, string jobId) => $"{runId}/{jobId}";
}
