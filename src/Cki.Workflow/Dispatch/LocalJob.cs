using System.Diagnostics;

namespace Cki.Workflow.Dispatch;

/// <summary>What the local dispatcher knows of one job: queued, running in a process (its own or a worker), or ended.</summary>
internal sealed class LocalJob(JobLaunch launch)
{
    private Action? _stop;

    public JobLaunch Launch { get; } = launch;

    public Task? Run { get; set; }

    /// <summary>The process running the job (its own, or its worker); null while queued.</summary>
    public int? Pid { get; private set; }

    public int? ExitCode { get; set; }

    /// <summary>How the job ended when that is more than its exit code (its worker died with it); null otherwise.</summary>
    public string? EndDetail { get; set; }

    public bool TimedOut { get; set; }

    public bool Killed { get; private set; }

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    public Stopwatch? Exited { get; set; }

    /// <summary>
    /// Starts the job with <paramref name="start"/> (which returns the process id and how to stop it) unless it was
    /// killed first; under the job's lock, so that a kill either comes before the start or sees it.
    /// </summary>
    public bool TryStart(Func<(int Pid, Action Stop)> start)
    {
        lock (this)
        {
            if (Killed)
            {
                return false;
            }

            (Pid, _stop) = start();
            Clock.Restart();
            return true;
        }
    }

    /// <summary>Stops the job if it runs, and keeps a queued one from starting.</summary>
    public void Kill()
    {
        lock (this)
        {
            Killed = true;
            if (ExitCode is null)
            {
                _stop?.Invoke();
            }
        }
    }
}
