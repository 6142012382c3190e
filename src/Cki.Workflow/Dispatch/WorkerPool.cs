using Microsoft.Extensions.Logging;

namespace Cki.Workflow.Dispatch;

/// <summary>
/// The local dispatcher's warm workers: a job takes a free one or, when none is, starts one (so workers start
/// lazily, and the dispatcher's slots bound them to the job concurrency); a worker that died or exited idle is
/// dropped, and the next job gets a fresh one.
/// </summary>
internal sealed class WorkerPool(LocalDispatcherOptions options, ILogger logger) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Stack<WorkerProcess> _free = new();
    private readonly List<WorkerProcess> _all = [];
    private bool _disposed;

    /// <summary>A free worker, started now if none is waiting.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">A worker was needed and its command cannot be started.</exception>
    public WorkerProcess Take()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            while (_free.TryPop(out var waiting))
            {
                if (waiting.Free)
                {
                    return waiting;
                }

                _all.Remove(waiting);
            }
        }

        var started = WorkerProcess.Start(options, logger);
        lock (_lock)
        {
            _all.Add(started);
            if (_disposed)
            {
                started.Kill();
            }
        }

        return started;
    }

    /// <summary>Gives a worker back after its job; one that has gone is dropped.</summary>
    public void Give(WorkerProcess worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        lock (_lock)
        {
            if (!_disposed && worker.Free)
            {
                _free.Push(worker);
            }
            else
            {
                _all.Remove(worker);
            }
        }
    }

    /// <summary>Kills every worker (on shutdown; their jobs' runs retry them after a restart).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            foreach (var worker in _all)
            {
                worker.Kill();
            }

            _all.Clear();
            _free.Clear();
        }
    }
}
