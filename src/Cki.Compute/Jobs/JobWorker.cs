using Cki.Contracts.Jobs;

namespace Cki.Compute.Jobs;

/// <summary>
/// The loop of <c>cki-compute worker</c>: reads <see cref="WorkerMessage"/> lines from the dispatcher, runs one job
/// at a time in this process (<see cref="WorkerJob"/>), sends its log lines and how it ended, and exits when the
/// input closes or when no job came for the idle time. A line it cannot read or obey is answered with an
/// <c>error</c> message and the worker goes on.
/// </summary>
public sealed class JobWorker
{
    // How long a job cancelled because the dispatcher went away may take to stop before the worker exits anyway.
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly Stream _output;
    private readonly TimeSpan _idleExit;
    private readonly Func<string, Action<string>, CancellationToken, int> _runJob;
    private readonly Lock _writing = new();

    /// <summary>
    /// A worker reading <paramref name="output"/>'s messages from its input, running a job with <paramref name="runJob"/>
    /// (spec location, log, cancellation; returns the exit code), exiting after <paramref name="idleExit"/> without a job.
    /// </summary>
    public JobWorker(Stream output, TimeSpan idleExit, Func<string, Action<string>, CancellationToken, int> runJob)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(runJob);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(idleExit, TimeSpan.Zero);
        _output = output;
        _idleExit = idleExit;
        _runJob = runJob;
    }

    /// <summary>Serves the messages of <paramref name="input"/> until it closes, the idle time passes or <paramref name="stop"/>; returns the exit code.</summary>
    public async Task<int> RunAsync(Stream input, CancellationToken stop)
    {
        var reader = new BoundedLineReader(input, WorkerProtocol.MaxLineBytes);
        Send(new WorkerMessage { Type = WorkerMessage.Ready, ProcessId = Environment.ProcessId });
        var next = reader.ReadLineAsync(stop).AsTask();
        WorkerJob? current = null;
        try
        {
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(stop);
                var waitingFor = current?.Completion ?? Task.Delay(_idleExit, idle.Token);
                var done = await Task.WhenAny(next, waitingFor).ConfigureAwait(false);
                await idle.CancelAsync().ConfigureAwait(false);
                if (current is not null && done == current.Completion)
                {
                    Send(new WorkerMessage { Type = WorkerMessage.Ended, Job = current.Key, ExitCode = await current.Completion.ConfigureAwait(false) });
                    current.Dispose();
                    current = null;
                    continue;
                }

                if (done != next)
                {
                    return stop.IsCancellationRequested ? 130 : 0; // idle for long enough, or stopped without a job
                }

                if (await next.ConfigureAwait(false) is not { } line)
                {
                    return 0; // the dispatcher closed the pipe (the finally stops a running job)
                }

                next = reader.ReadLineAsync(stop).AsTask();
                current = Obey(line, current);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 130;
        }
        catch (IOException)
        {
            return 0; // the dispatcher went away while the worker wrote to it
        }
        finally
        {
            if (current is not null)
            {
                current.Cancel();
                await Task.WhenAny(current.Completion, Task.Delay(StopGrace, CancellationToken.None)).ConfigureAwait(false);
            }
        }
    }

    // Acts on one line; returns the job running afterwards.
    private WorkerJob? Obey(BoundedLine line, WorkerJob? current)
    {
        if (line.TooLong)
        {
            return Refuse($"a line of {line.Length} bytes is over the limit of {WorkerProtocol.MaxLineBytes}; it was skipped", null, current);
        }

        WorkerMessage message;
        try
        {
            message = WorkerProtocol.Parse(line.Bytes);
        }
        catch (InvalidDataException e)
        {
            return Refuse(e.Message, null, current);
        }

        switch (message.Type)
        {
            case WorkerMessage.Run when current is not null:
                return Refuse($"job '{message.Job}' refused: job '{current.Key}' is running (a worker runs one job at a time)", message.Job, current);
            case WorkerMessage.Run:
                var key = message.Job!;
                var spec = message.Spec!;
                Send(new WorkerMessage { Type = WorkerMessage.Started, Job = key }); // before the job's first log line
                return WorkerJob.Start(key, token => _runJob(spec, text => TrySend(WorkerProtocol.LogLine(key, text)), token));
            case WorkerMessage.Cancel when current?.Key == message.Job:
                current!.Cancel();
                return current;
            case WorkerMessage.Cancel:
                return Refuse($"cancel of job '{message.Job}': it is not running here", message.Job, current);
            default:
                return Refuse($"a '{message.Type}' message is one a worker sends, not one it takes", message.Job, current);
        }
    }

    private WorkerJob? Refuse(string reason, string? job, WorkerJob? current)
    {
        Send(new WorkerMessage { Type = WorkerMessage.Error, Job = job, Text = reason });
        return current;
    }

    // A job's log line: lost, not fatal to the job, when the dispatcher has gone (the job is being stopped then).
    private void TrySend(WorkerMessage message)
    {
        try
        {
            Send(message);
        }
        catch (IOException)
        {
            // The pipe is closed; the loop sees it too and stops the job.
        }
    }

    private void Send(WorkerMessage message)
    {
        var line = WorkerProtocol.Line(message);
        lock (_writing)
        {
            _output.Write(line);
            _output.Flush();
        }
    }
}
