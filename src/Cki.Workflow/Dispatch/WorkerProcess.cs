using System.Diagnostics;
using System.Globalization;
using Cki.Contracts.Jobs;
using Microsoft.Extensions.Logging;

namespace Cki.Workflow.Dispatch;

/// <summary>
/// One <c>cki-compute worker</c> child process, seen from the local dispatcher: gives it one job at a time over its
/// stdin, writes the job's log lines into the job's log, and completes the job when the worker says it ended, or when
/// the worker dies with it (the job then has no result, and the run's probe sees it crashed).
/// </summary>
internal sealed class WorkerProcess
{
    private readonly Process _process;
    private readonly Stream _input;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Lock _writing = new(); // apart from _lock: a write to a worker that does not read must not hold up the rest
    private Assignment? _current;
    private bool _gone;

    private WorkerProcess(Process process, ILogger logger)
    {
        _process = process;
        _input = process.StandardInput.BaseStream;
        _logger = logger;
        Id = process.Id;
        _ = Task.Run(ReadEventsAsync);
    }

    /// <summary>The worker's process id.</summary>
    public int Id { get; }

    /// <summary>Whether the worker can take a job (it runs and has none).</summary>
    public bool Free
    {
        get
        {
            lock (_lock)
            {
                return !_gone && _current is null && !_process.HasExited;
            }
        }
    }

    /// <summary>Starts a worker: <paramref name="options"/>' command and arguments, then <c>worker --idle-seconds</c>.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The command cannot be started.</exception>
    public static WorkerProcess Start(LocalDispatcherOptions options, ILogger logger)
    {
        var start = new ProcessStartInfo(options.Command)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in options.Arguments.Concat(["worker", "--idle-seconds", options.WorkerIdleSeconds.ToString(CultureInfo.InvariantCulture)]))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in options.Environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        process.Start();
        var worker = new WorkerProcess(process, logger);
        process.ErrorDataReceived += (_, e) => worker.Stderr(e.Data);
        process.BeginErrorReadLine();
        WorkerLog.Started(logger, worker.Id);
        return worker;
    }

    /// <summary>Gives the worker a job; completes when the job ended or the worker died with it.</summary>
    /// <exception cref="InvalidOperationException">The worker has a job already.</exception>
    public Task<WorkerOutcome> RunAsync(string key, Uri spec, TextWriter? log)
    {
        var assignment = new Assignment(key, log);
        lock (_lock)
        {
            if (_current is not null)
            {
                throw new InvalidOperationException($"job worker pid {Id} runs job '{_current.Key}' already.");
            }

            if (_gone)
            {
                assignment.End(new WorkerOutcome(-1, false, $"its worker (pid {Id}) had exited before it could take it"));
                return assignment.Outcome;
            }

            _current = assignment;
        }

        // A worker that died in the meantime cannot be written to; the reading of its output ends the job then.
        TrySend(new WorkerMessage { Type = WorkerMessage.Run, Job = key, Spec = spec.ToString() });
        return assignment.Outcome;
    }

    /// <summary>Asks the worker to cancel the job; kills the worker if the job has not ended <paramref name="grace"/> later.</summary>
    public void Stop(string key, TimeSpan grace)
    {
        TrySend(new WorkerMessage { Type = WorkerMessage.Cancel, Job = key });
        _ = KillIfStillRunningAsync(key, grace);
    }

    /// <summary>Kills the worker (and whatever it started), ending its job without a result.</summary>
    public void Kill()
    {
        lock (_lock)
        {
            try
            {
                if (!_gone && !_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // Exited in between.
            }
        }
    }

    private async Task KillIfStillRunningAsync(string key, TimeSpan grace)
    {
        Task<WorkerOutcome>? running;
        lock (_lock)
        {
            running = _current?.Key == key ? _current.Outcome : null;
        }

        if (running is not null && await Task.WhenAny(running, Task.Delay(grace)).ConfigureAwait(false) != running)
        {
            WorkerLog.KilledStuck(_logger, Id, key, grace.TotalSeconds);
            Kill();
        }
    }

    private void TrySend(WorkerMessage message)
    {
        var line = WorkerProtocol.Line(message);
        lock (_writing)
        {
            try
            {
                _input.Write(line);
                _input.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The worker is gone; ReadEventsAsync ends its job.
            }
        }
    }

    // The worker's messages until its stdout closes; then the job it had, if any, ends with the worker's exit code.
    private async Task ReadEventsAsync()
    {
        var reader = new BoundedLineReader(_process.StandardOutput.BaseStream, WorkerProtocol.MaxLineBytes);
        try
        {
            while (await reader.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
            {
                Handle(line);
            }
        }
        catch (IOException)
        {
            // The pipe broke: the worker is gone, as at the end of its output.
        }

        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        var code = _process.ExitCode;
        Assignment? lost;
        lock (_lock)
        {
            _gone = true;
            lost = _current;
            _current = null;
            _process.Dispose();
        }

        WorkerLog.Exited(_logger, Id, code);
        lost?.End(new WorkerOutcome(code, lost.Accepted, $"its worker (pid {Id}) exited with code {code} while it ran the job"));
    }

    private void Handle(BoundedLine line)
    {
        if (line.TooLong)
        {
            WorkerLog.Protocol(_logger, Id, $"skipped a line of {line.Length} bytes, over the limit of {WorkerProtocol.MaxLineBytes}");
            return;
        }

        WorkerMessage message;
        try
        {
            message = WorkerProtocol.Parse(line.Bytes);
        }
        catch (InvalidDataException e)
        {
            WorkerLog.Protocol(_logger, Id, e.Message);
            return;
        }

        Assignment? job;
        lock (_lock)
        {
            job = _current is { } current && current.Key == message.Job ? current : null;
            if (job is not null && message.Type == WorkerMessage.Ended)
            {
                _current = null;
            }
        }

        switch (message.Type)
        {
            case WorkerMessage.Started when job is not null:
                job.Accepted = true;
                break;
            case WorkerMessage.Log when job is not null:
                job.Log?.WriteLine(message.Text);
                break;
            case WorkerMessage.Ended when job is not null:
                job.End(new WorkerOutcome(message.ExitCode!.Value, true, null));
                break;
            case WorkerMessage.Error:
                WorkerLog.Protocol(_logger, Id, message.Text!);
                job?.Log?.WriteLine($"cki-compute worker: {message.Text}");
                break;
            case WorkerMessage.Ready:
                break;
            default:
                WorkerLog.Protocol(_logger, Id, $"a '{message.Type}' message about job '{message.Job}', which it does not run");
                break;
        }
    }

    // Lines the worker writes outside the protocol (the runtime's own messages, a crash): into the job's log when it has one.
    private void Stderr(string? line)
    {
        if (line is null)
        {
            return;
        }

        Assignment? job;
        lock (_lock)
        {
            job = _current;
        }

        try
        {
            if (job?.Log is { } log)
            {
                log.WriteLine(line);
                return;
            }
        }
        catch (ObjectDisposedException)
        {
            // The job ended (and its log was closed) as the line came: it belongs to no job now.
        }

        WorkerLog.Said(_logger, Id, line);
    }

    private sealed class Assignment(string key, TextWriter? log)
    {
        private readonly TaskCompletionSource<WorkerOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Key { get; } = key;
        public TextWriter? Log { get; } = log;
        public bool Accepted { get; set; }
        public Task<WorkerOutcome> Outcome => _outcome.Task;

        public void End(WorkerOutcome outcome) => _outcome.TrySetResult(outcome);
    }
}
