using Azure.Data.Tables;
using Cki.Workflow.Orchestration;

namespace Cki.Host.Demo;

/// <summary>
/// The size of a run's orchestration histories as the Durable Task Azure Storage provider keeps them: the rows of the
/// task hub's History table for the run's instance and its batches (<see cref="JobBatchOrchestrator"/>), and what the
/// replays re-read: every episode (an <c>OrchestratorStarted</c> row) replays every event before it.
/// </summary>
/// <param name="Instances">The run's orchestration instances (the run and its batches).</param>
/// <param name="Events">History rows of all of them.</param>
/// <param name="Bytes">The rows' property values, in bytes (strings as UTF-8); payloads the provider moved to blobs count by their reference only.</param>
/// <param name="LargestEvents">Rows of the largest history.</param>
/// <param name="LargestBytes">Bytes of the largest history.</param>
/// <param name="Episodes">Episodes of all instances (the orchestrator ran once per episode, replaying its history first).</param>
/// <param name="ReplayedEvents">Events re-read by all replays together.</param>
/// <param name="ReplayedBytes">Bytes re-read by all replays together.</param>
public sealed record HistoryFigures(int Instances, long Events, long Bytes, long LargestEvents, long LargestBytes, long Episodes, long ReplayedEvents, long ReplayedBytes)
{
    /// <summary>Events by type, activities by name (<c>TaskScheduled StartJobActivity</c>): the round trips behind the figures.</summary>
    public IReadOnlyDictionary<string, long> Kinds { get; init; } = new Dictionary<string, long>();

    /// <summary>Reads the figures of <paramref name="runId"/> from task hub <paramref name="taskHub"/> of the account in <paramref name="connectionString"/>.</summary>
    public static async Task<HistoryFigures> ReadAsync(string connectionString, string taskHub, string runId, CancellationToken cancellationToken)
    {
        var table = new TableClient(connectionString, taskHub + "History");
        var batches = JobBatchOrchestrator.InstancePrefix(runId);
        // The run's own partition, then every partition whose key starts with the batches' prefix ('@' + 1 is 'A').
        var filter = $"PartitionKey eq '{runId}' or (PartitionKey ge '{batches}' and PartitionKey lt '{batches[..^1]}A')";
        var instances = new Dictionary<string, List<(long Bytes, bool EpisodeStart)>>(StringComparer.Ordinal);
        var kinds = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!instances.TryGetValue(row.PartitionKey, out var rows))
            {
                instances[row.PartitionKey] = rows = [];
            }

            var type = row.GetString("EventType");
            rows.Add((Size(row), type == "OrchestratorStarted"));
            var kind = type == "TaskScheduled" ? $"{type} {row.GetString("Name")}" : type ?? "?";
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }

        long events = 0, bytes = 0, largestEvents = 0, largestBytes = 0, episodes = 0, replayedEvents = 0, replayedBytes = 0;
        foreach (var rows in instances.Values)
        {
            // Row keys order an execution's events (the provider pads the sequence number).
            long seen = 0, seenBytes = 0;
            foreach (var (size, episodeStart) in rows)
            {
                if (episodeStart)
                {
                    episodes++;
                    replayedEvents += seen;
                    replayedBytes += seenBytes;
                }

                seen++;
                seenBytes += size;
            }

            events += seen;
            bytes += seenBytes;
            largestEvents = Math.Max(largestEvents, seen);
            largestBytes = Math.Max(largestBytes, seenBytes);
        }

        return new HistoryFigures(instances.Count, events, bytes, largestEvents, largestBytes, episodes, replayedEvents, replayedBytes) { Kinds = kinds };
    }

    private static long Size(TableEntity row) => row.Sum(p => p.Value switch
    {
        string s => System.Text.Encoding.UTF8.GetByteCount(s),
        byte[] b => b.Length,
        BinaryData d => d.ToMemory().Length,
        null => 0,
        _ => 8,
    } + p.Key.Length);
}
