using System.Collections.Concurrent;
using System.Diagnostics;
using Cki.Workflow.Logging;
using Microsoft.Extensions.Logging;

namespace Cki.Workflow.Dispatch;

/// <summary>
/// The <c>local</c> dispatcher: at most <see cref="LocalDispatcherOptions.MaxConcurrentJobs"/> jobs at once, the rest
/// queued in order. Each job runs on a warm worker (<c>cki-compute worker</c>, one job at a time each, as many workers
/// as jobs at once, started when first needed), or, with <see cref="LocalJobMode.Processes"/>, in a child process of
/// its own (<c>cki-compute job --spec &lt;url&gt;</c>). A worker that dies loses only the job it ran, which ends without
/// a result (the run's probe sees it crashed); the next job gets a fresh worker. It remembers jobs for the life of the
/// host only: after a restart, a job it does not know is reported lost and the run retries it.
/// </summary>
public sealed class LocalProcessDispatcher : IJobDispatcher, IDisposable
{
    private readonly LocalDispatcherOptions _options;
    private readonly ILogger<LocalProcessDispatcher> _logger;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<string, LocalJob> _jobs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, bool> _cancelledRuns = new(StringComparer.Ordinal);
    private readonly WorkerPool? _workers;
    private long _processTicks;

    // How long an exited job is remembered.
    private static readonly TimeSpan RetainExited = TimeSpan.FromMinutes(10);

    // How long a cancel waits for the stopped processes to exit.
    private static readonly TimeSpan CancelWait = TimeSpan.FromSeconds(10);

    // How long a job on a worker has to stop after its cancel before its worker is killed (within CancelWait).
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    /// <summary>Creates the dispatcher.</summary>
    public LocalProcessDispatcher(LocalDispatcherOptions options, ILogger<LocalProcessDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger;
        _slots = new SemaphoreSlim(options.MaxConcurrentJobs);
        _workers = options.Jobs == LocalJobMode.Workers ? new WorkerPool(options, logger) : null;
    }

    /// <summary>
    /// Wall time of every job this dispatcher ran, from the start of its process (or its hand-over to a warm worker) to its
    /// exit (benchmarks compare it with the jobs' own time).
    /// </summary>
    public TimeSpan ProcessTime => TimeSpan.FromTicks(Interlocked.Read(ref _processTicks));

    /// <inheritdoc />
    public Task StartAsync(JobLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (_cancelledRuns.ContainsKey(launch.RunId))
        {
            return Task.CompletedTask; // The run was terminated: a start that was already on its way starts nothing.
        }

        var key = Key(launch.RunId, launch.JobId);
        var job = new LocalJob(launch);
        if (_jobs.TryGetValue(key, out var existing) && existing.Launch.Attempt == launch.Attempt)
        {
            return Task.CompletedTask; // The activity ran again after a host restart: the same attempt is already here.
        }

        existing?.Kill();
        ForgetLongExited();
        _jobs[key] = job;
        if (_cancelledRuns.ContainsKey(launch.RunId))
        {
            // Cancelled between the look above and the line before: CancelRunAsync may not have seen this job.
            job.Kill();
            _jobs.TryRemove(new KeyValuePair<string, LocalJob>(key, job));
            return Task.CompletedTask;
        }

        job.Run = Task.Run(() => RunAsync(job), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<JobProbe> ProbeAsync(string runId, string jobId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_jobs.TryGetValue(Key(runId, jobId), out var job))
        {
            return Task.FromResult(new JobProbe(JobState.Lost, "this host has no record of the job (it was started before a restart, or never)"));
        }

        lock (job)
        {
            if (job.TimedOut)
            {
                return Task.FromResult(new JobProbe(JobState.TimedOut, $"stopped after running {timeout.TotalSeconds:F0} s without a result"));
            }

            if (job.ExitCode is { } code)
            {
                return Task.FromResult(new JobProbe(JobState.Exited, $"{job.EndDetail ?? $"exited with code {code}"} after {job.Clock.Elapsed.TotalSeconds:F1} s"));
            }

            if (job.Pid is not { } pid)
            {
                return Task.FromResult(new JobProbe(JobState.Queued, "waiting for a free slot"));
            }

            if (job.Clock.Elapsed > timeout)
            {
                job.TimedOut = true;
                job.Kill();
                WorkflowLog.JobTimedOut(_logger, runId, jobId, timeout.TotalSeconds);
                return Task.FromResult(new JobProbe(JobState.TimedOut, $"stopped after running {job.Clock.Elapsed.TotalSeconds:F0} s, past its timeout of {timeout.TotalSeconds:F0} s"));
            }

            return Task.FromResult(new JobProbe(JobState.Running, $"running for {job.Clock.Elapsed.TotalSeconds:F0} s (pid {pid})"));
        }
    }

    /// <inheritdoc />
    public async Task<int> CancelRunAsync(string runId, CancellationToken cancellationToken)
    {
        _cancelledRuns[runId] = true;
        var stopped = new List<LocalJob>();
        foreach (var job in _jobs.Values.Where(j => j.Launch.RunId == runId))
        {
            lock (job)
            {
                if (job.ExitCode is null && !job.Killed)
                {
                    job.Kill();
                    stopped.Add(job);
                }
            }
        }

        // Wait until the stopped processes are gone, so that none of them writes after this returns.
        var ended = Task.WhenAll(stopped.Select(j => j.Run ?? Task.CompletedTask));
        await Task.WhenAny(ended, Task.Delay(CancelWait, cancellationToken)).ConfigureAwait(false);
        foreach (var job in stopped)
        {
            _jobs.TryRemove(new KeyValuePair<string, LocalJob>(Key(job.Launch.RunId, job.Launch.JobId), job));
        }

        return stopped.Count;
    }

    private async Task RunAsync(LocalJob job)
    {
        var launch = job.Launch;
        try
        {
            await _slots.WaitAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            var log = OpenLog(launch);
            await using (log)
            {
                var ended = _workers is null ? await RunProcessAsync(job, log).ConfigureAwait(false) : await RunOnWorkerAsync(job, _workers, log).ConfigureAwait(false);
                if (ended is not var (code, detail))
                {
                    return; // stopped before it started
                }

                lock (job)
                {
                    job.ExitCode = code;
                    job.EndDetail = detail;
                    job.Exited = Stopwatch.StartNew();
                }

                Interlocked.Add(ref _processTicks, job.Clock.Elapsed.Ticks);
                WorkflowLog.JobExited(_logger, launch.RunId, launch.JobId, launch.Attempt, code, job.Clock.Elapsed.TotalSeconds);
                _options.JobExited?.Invoke();
            }
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            lock (job)
            {
                job.ExitCode = -1;
            }

            WorkflowLog.JobCouldNotStart(_logger, launch.RunId, launch.JobId, e.Message);
        }
        finally
        {
            _slots.Release();
        }
    }

    // The job's own process (cki-compute job --spec): its exit code; null when the job was stopped before it started.
    private async Task<(int Code, string? Detail)?> RunProcessAsync(LocalJob job, TextWriter? log)
    {
        var launch = job.Launch;
        var start = new ProcessStartInfo(_options.Command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in _options.Arguments.Concat(["job", "--spec", launch.SpecUrl.ToString()]))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in _options.Environment)
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { log?.WriteLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { log?.WriteLine(e.Data); } };
        if (!job.TryStart(() => { process.Start(); return (process.Id, () => KillTree(process)); }))
        {
            return null;
        }

        WorkflowLog.JobStarted(_logger, launch.RunId, launch.JobId, launch.Attempt, process.Id);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return (process.ExitCode, null);
    }

    // The job on a warm worker: its exit code, or the worker's and how it went when the worker died with it; null when
    // the job was stopped before it started.
    private async Task<(int Code, string? Detail)?> RunOnWorkerAsync(LocalJob job, WorkerPool workers, TextWriter? log)
    {
        var launch = job.Launch;
        var key = $"{launch.RunId}/{launch.JobId}#{launch.Attempt}";
        for (var round = 1; ; round++)
        {
            var worker = workers.Take();
            Task<WorkerOutcome>? running = null;
            if (!job.TryStart(() => { running = worker.RunAsync(key, launch.SpecUrl, log); return (worker.Id, () => worker.Stop(key, StopGrace)); }))
            {
                workers.Give(worker);
                return null;
            }

            WorkflowLog.JobStarted(_logger, launch.RunId, launch.JobId, launch.Attempt, worker.Id);
            var outcome = await running!.ConfigureAwait(false);
            workers.Give(worker);
            if (outcome is { Accepted: false, Crash: not null } && round == 1 && !job.Killed)
            {
                // The worker went before it took the job (it exited idle just as the job came): the job lost nothing, and a
                // fresh worker takes it, once (a worker that cannot start at all fails the job the second time).
                continue;
            }

            return (outcome.ExitCode, outcome.Crash);
        }
    }

    // The job's log file ({LogFolder}/{runId}/{jobId}.attempt{n}.log), the same whichever way the job runs; null without a folder.
    private TextWriter? OpenLog(JobLaunch launch)
    {
        if (_options.LogFolder is null)
        {
            return null;
        }

        var path = Path.Combine(_options.LogFolder, launch.RunId, $"{launch.JobId}.attempt{launch.Attempt}.log");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return TextWriter.Synchronized(new StreamWriter(path, append: false) { AutoFlush = true });
    }

    private static void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited (or disposed) in between.
        }
    }

    private static string Key(string runId, string jobId) => $"{runId}/{jobId}";

    // A long-lived host would otherwise keep every job it ever ran. An exited job is remembered long enough for its
    // run to ask after it (a probe interval or a few); after that a probe finds its result, or reports it lost.
    private void ForgetLongExited()
    {
        foreach (var (key, job) in _jobs)
        {
            if (job.Exited is { } exited && exited.Elapsed > RetainExited)
            {
                _jobs.TryRemove(new KeyValuePair<string, LocalJob>(key, job));
            }
        }
    }

    /// <summary>Stops every job this host started (on shutdown; their runs retry them after the restart).</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        foreach (var job in _jobs.Values)
        {
            job.Kill();
        }

        _workers?.Dispose();
        _stopping.Dispose();
        // _slots is not disposed: a job's task still ending releases its slot after this, and a SemaphoreSlim whose wait
        // handle was never asked for holds nothing to free.
    }
}
