using System.Collections.Concurrent;

namespace Cki.Workflow.Tests.Orchestration.InProcess;

/// <summary>
/// The decisions an orchestrator made in each of its episodes (each run of its code by the runtime, which replays the
/// history so far and then goes on), per instance, in order.
/// </summary>
public sealed class DecisionLog
{
    private readonly ConcurrentDictionary<string, List<List<string>>> _episodes = new(StringComparer.Ordinal);

    /// <summary>Starts an episode of <paramref name="instanceId"/>; decisions go into the list returned.</summary>
    public List<string> BeginEpisode(string instanceId)
    {
        var episode = new List<string>();
        var episodes = _episodes.GetOrAdd(instanceId, _ => []);
        lock (episodes)
        {
            episodes.Add(episode);
        }

        return episode;
    }

    /// <summary>Every episode of <paramref name="instanceId"/> so far, each a copy of its decisions.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Episodes(string instanceId)
    {
        if (!_episodes.TryGetValue(instanceId, out var episodes))
        {
            return [];
        }

        lock (episodes)
        {
            return episodes.Select(e => (IReadOnlyList<string>)[.. e]).ToList();
        }
    }
}
