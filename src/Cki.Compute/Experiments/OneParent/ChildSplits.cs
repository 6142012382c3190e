using Cki.Compute.Data.MovieLens;

namespace Cki.Compute.Experiments.OneParent;

/// <summary>One child's share of the training samples.</summary>
/// <param name="Name">"early half", "late half", "users 1/4", ...</param>
/// <param name="Contains">Whether a training sample belongs to this child.</param>
public sealed record ChildPart(string Name, Func<CtrSample, bool> Contains);

/// <summary>How the children of one parent divide the training samples.</summary>
public enum ChildSplitKind
{
    /// <summary>Two children: the early and the late half of the training period (split at the median timestamp).</summary>
    TimeHalves,

    /// <summary>K children, each with a disjoint group of users (all of a user's training samples go to one child).</summary>
    UserGroups,
}

/// <summary>
/// Disjoint parts of the training samples, one per child: every training sample is in exactly one part, so the
/// children together see exactly the parent's training data.
/// </summary>
public static class ChildSplits
{
    /// <summary>The parts of <paramref name="train"/> for <paramref name="kind"/>; <paramref name="seed"/> shuffles the users into groups.</summary>
    public static IReadOnlyList<ChildPart> Of(ChildSplitKind kind, IReadOnlyList<CtrSample> train, int children, int seed) => kind switch
    {
        ChildSplitKind.TimeHalves => children == 2 ? TimeHalves(train) : throw new ArgumentException("The time-halves split has exactly 2 children."),
        ChildSplitKind.UserGroups => UserGroups(train, children, seed),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// The early half (timestamp below the median training timestamp, as the shift setting cuts) and the late half
    /// (the rest).
    /// </summary>
    public static IReadOnlyList<ChildPart> TimeHalves(IReadOnlyList<CtrSample> train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0)
        {
            throw new ArgumentException("No training samples to split.");
        }

        var middle = train.Select(s => s.Timestamp).Order().ElementAt(train.Count / 2);
        return [new("early half", s => s.Timestamp < middle), new("late half", s => s.Timestamp >= middle)];
    }

    /// <summary>
    /// <paramref name="groups"/> groups of users: the distinct training users in id order, shuffled with
    /// <paramref name="seed"/>, dealt round-robin, so each group holds the same number of users (within one).
    /// </summary>
    public static IReadOnlyList<ChildPart> UserGroups(IReadOnlyList<CtrSample> train, int groups, int seed)
    {
        ArgumentNullException.ThrowIfNull(train);
        var users = train.Select(s => s.User).Distinct().Order().ToArray();
        if (groups < 2 || groups > users.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(groups), groups, $"Between 2 and the number of training users ({users.Length}).");
        }

        new Random(seed).Shuffle(users);
        var groupOf = new Dictionary<int, int>(users.Length);
        for (var i = 0; i < users.Length; i++)
        {
            groupOf[users[i]] = i % groups;
        }

        // A user without training samples belongs to no part: such users do not occur in train, the only set split here.
        return Enumerable.Range(0, groups)
            .Select(g => new ChildPart($"users {g + 1}/{groups}", s => groupOf.TryGetValue(s.User, out var k) && k == g))
            .ToList();
    }
}
