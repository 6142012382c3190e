using System.Globalization;
using Cki.Workflow.Dispatch;

namespace Cki.Host.Demo;

/// <summary>
/// <c>cki-host bench</c>: a data-free global-only run of K = 4 generated models with as many tensors and splice shards
/// as asked (the shape of a large model in small tensors), and the figures it prints: wall time, the jobs' own time,
/// process start, the workflow's own time per job, and the orchestration histories' size and replay cost (docs/scale.md).
/// </summary>
public static class OverheadBench
{
    /// <summary>Tensors of the generated architecture without extra blocks; each block (256 x 256 weight and its bias) adds two.</summary>
    public const int BaseTensors = 10;

    /// <summary>The default tensor count (8 extra blocks).</summary>
    public const int DefaultTensors = 26;

    /// <summary>The default shard count.</summary>
    public const int DefaultShards = 16;

    /// <summary>The most shards a manifest may ask for (<c>shards:</c>).</summary>
    public const int MaxShards = 1024;

    /// <summary>The most tensors the bench generates (each model holds about 257 KB per two tensors).</summary>
    public const int MaxTensors = 20_000;

    /// <summary>
    /// The scenario: at least <paramref name="tensors"/> tensors (rounded up to an even count) in <paramref name="shards"/>
    /// shards.
    /// </summary>
    /// <exception cref="ArgumentException">A count is out of range, or there are fewer tensors than shards.</exception>
    public static DemoScenario Scenario(int tensors, int shards)
    {
        if (tensors is < BaseTensors or > MaxTensors)
        {
            throw new ArgumentException($"--tensors: expected {BaseTensors} to {MaxTensors}; got {tensors}.", nameof(tensors));
        }

        if (shards is < 1 or > MaxShards || shards > tensors)
        {
            throw new ArgumentException($"--shards: expected 1 to {Math.Min(MaxShards, tensors)} (at most one shard per tensor); got {shards}.", nameof(shards));
        }

        var blocks = (tensors - BaseTensors + 1) / 2;
        var manifest = string.Create(CultureInfo.InvariantCulture, $"""
            # Orchestration overhead: K = 4 generated models of {BaseTensors + (2 * blocks)} tensors, data-free, {shards} splice shards.
            task: none
            sources: [a, b, c, d]
            merge:
              method: global-only
            shards: {shards}

            """);
        return new DemoScenario(string.Create(CultureInfo.InvariantCulture, $"generating 4 models with {BaseTensors + (2 * blocks)} tensors each"),
            ["--models", "4", "--generated", "--blocks", blocks.ToString(CultureInfo.InvariantCulture)], manifest, 4) { Bench = true };
    }

    /// <summary>Prints the figures of a finished bench run.</summary>
    /// <param name="wall">Seconds from the drop to the run's completion.</param>
    /// <param name="jobs">Jobs run.</param>
    /// <param name="jobSeconds">The jobs' own time, added up.</param>
    /// <param name="dispatcher">The dispatcher that ran them (its process time, when it is the local one).</param>
    /// <param name="concurrency">Jobs at most at once.</param>
    /// <param name="history">The run's histories.</param>
    /// <param name="blobs">The host's blob requests from the ready marker to the run's end, by kind.</param>
    public static void Print(double wall, int jobs, double jobSeconds, IJobDispatcher dispatcher, int concurrency, HistoryFigures history, IReadOnlyDictionary<string, int> blobs)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(history);
        var c = CultureInfo.InvariantCulture;
        var processes = (dispatcher as LocalProcessDispatcher)?.ProcessTime.TotalSeconds ?? jobSeconds;
        // With one job at a time the processes run back to back: what the wall time holds beyond them is the workflow's.
        // With more at once, the processes' time divided by the concurrency stands for them (a lower bound of their share).
        var own = wall - (processes / concurrency);
        Console.WriteLine(string.Create(c, $"bench: {jobs} jobs, {concurrency} at once: wall {wall:F1} s; jobs' own time {jobSeconds:F1} s; job processes {processes:F1} s " +
            $"(process start, runtime, libtorch loading, spec reading: {(processes - jobSeconds) / jobs * 1000:F0} ms per job)."));
        var (share, overhead) = concurrency == 1 ? ("", wall - jobSeconds) : (string.Create(c, $" / {concurrency}, approximate"), wall - (jobSeconds / concurrency));
        Console.WriteLine(string.Create(c, $"bench: workflow's own time {own:F1} s = {own / jobs * 1000:F0} ms per job (wall minus the job processes{share}); " +
            $"orchestration overhead (wall minus the jobs' own time{share}) {overhead:F1} s = {overhead / jobs * 1000:F0} ms per job."));
        Console.WriteLine(string.Create(c, $"bench: history: {history.Instances} orchestration instance(s), {history.Events} events, {history.Bytes / 1024.0:F0} KiB " +
            $"({(double)history.Events / jobs:F1} events and {history.Bytes / 1024.0 / jobs:F1} KiB per job); largest history {history.LargestEvents} events, " +
            $"{history.LargestBytes / 1024.0:F0} KiB."));
        Console.WriteLine(string.Create(c, $"bench: replay: {history.Episodes} episodes re-read {history.ReplayedEvents} events, {history.ReplayedBytes / 1048576.0:F1} MiB " +
            $"({(double)history.ReplayedEvents / jobs:F0} events per job)."));
        Console.WriteLine(string.Create(c, $"bench: history events per job: {string.Join(", ", history.Kinds.Select(k => $"{k.Key} {(double)k.Value / jobs:F2}"))}."));
        Console.WriteLine(string.Create(c, $"bench: blob requests per job: {(double)blobs.Values.Sum() / jobs:F2} ({string.Join(", ",
            blobs.OrderByDescending(k => k.Value).Select(k => $"{k.Key} {(double)k.Value / jobs:F2}"))})."));
    }
}
