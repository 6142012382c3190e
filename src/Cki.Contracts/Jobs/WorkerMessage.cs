namespace Cki.Contracts.Jobs;

/// <summary>
/// One message of the job worker's protocol (<c>cki-compute worker</c>): one compact JSON object per line of UTF-8
/// (LF), at most <see cref="WorkerProtocol.MaxLineBytes"/> bytes. The dispatcher writes <c>run</c> and <c>cancel</c>
/// to the worker's stdin; the worker writes <c>ready</c>, <c>started</c>, <c>log</c>, <c>ended</c> and <c>error</c>
/// to its stdout. <see cref="Job"/> is the key the dispatcher gave the job; it comes back on every message about it.
/// </summary>
public sealed record WorkerMessage
{
    /// <summary>What the message says (one of the constants of <see cref="WorkerMessage"/>).</summary>
    public required string Type { get; init; }

    /// <summary>The job's key (<c>run</c>, <c>cancel</c>, <c>started</c>, <c>log</c>, <c>ended</c>; an <c>error</c> about a job).</summary>
    public string? Job { get; init; }

    /// <summary>The spec's location, as <c>cki-compute job --spec</c> takes it (<c>run</c>).</summary>
    public string? Spec { get; init; }

    /// <summary>A line of the job's log (<c>log</c>), or what was wrong (<c>error</c>).</summary>
    public string? Text { get; init; }

    /// <summary>
    /// The job's exit code as <c>cki-compute job</c> would have exited (<c>ended</c>): 0 succeeded, 1 failed (the reason is in
    /// <c>result.json</c>, or in the log when the job could not write one), 130 cancelled.
    /// </summary>
    public int? ExitCode { get; init; }

    /// <summary>The worker's process id (<c>ready</c>).</summary>
    public int? ProcessId { get; init; }

    /// <summary>Dispatcher to worker: run the job whose spec is at <see cref="Spec"/>.</summary>
    public const string Run = "run";

    /// <summary>Dispatcher to worker: cancel the job (the worker stays).</summary>
    public const string Cancel = "cancel";

    /// <summary>Worker to dispatcher: the worker is up and waits for a job.</summary>
    public const string Ready = "ready";

    /// <summary>Worker to dispatcher: the job was taken and runs.</summary>
    public const string Started = "started";

    /// <summary>Worker to dispatcher: a line of the job's log.</summary>
    public const string Log = "log";

    /// <summary>Worker to dispatcher: the job ended (its result, if any, is in storage).</summary>
    public const string Ended = "ended";

    /// <summary>Worker to dispatcher: a message could not be read or obeyed (the worker goes on).</summary>
    public const string Error = "error";
}
