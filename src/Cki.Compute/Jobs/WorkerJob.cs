using static TorchSharp.torch;

namespace Cki.Compute.Jobs;

/// <summary>
/// One job inside a <see cref="JobWorker"/>, kept apart from the jobs before and after it: it runs on a thread of its
/// own with its own cancellation, every tensor it leaves undisposed is freed by a dispose scope when it ends, and the
/// collector runs (after its end is reported) before the worker takes the next job, so that one job's memory is not the
/// next one's baseline.
/// </summary>
internal sealed class WorkerJob : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();

    private WorkerJob(string key) => Key = key;

    /// <summary>The dispatcher's key of the job.</summary>
    public string Key { get; }

    /// <summary>The job's exit code, as <c>cki-compute job</c> would exit, once it has ended.</summary>
    public Task<int> Completion { get; private set; } = Task.FromResult(0);

    /// <summary>Starts <paramref name="run"/> on its own thread.</summary>
    public static WorkerJob Start(string key, Func<CancellationToken, int> run)
    {
        var job = new WorkerJob(key);
        job.Completion = Task.Factory.StartNew(() => job.Isolated(run), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return job;
    }

    /// <summary>Asks the job to stop (it ends at its next cancellation check).</summary>
    public void Cancel() => _cancel.Cancel();

    private int Isolated(Func<CancellationToken, int> run)
    {
        using var scope = NewDisposeScope();
        return run(_cancel.Token);
    }

    /// <summary>Frees what the ended job left: called once its end is reported, so the collection does not delay the report.</summary>
    public void Dispose()
    {
        _cancel.Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
