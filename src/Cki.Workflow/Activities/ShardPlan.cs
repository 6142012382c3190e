using Cki.Contracts.Checkpoints;

namespace Cki.Workflow.Activities;

/// <summary>Splits a layout into splice shards of about equal bytes, each a run of consecutive tensors.</summary>
public static class ShardPlan
{
    /// <summary>At most <paramref name="shards"/> groups (never more than there are tensors), none empty.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Split(IReadOnlyList<TensorSpec> layout, int shards)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        var count = Math.Min(shards, layout.Count);
        var total = layout.Sum(t => Math.Max(1, t.ByteCount));
        var groups = new List<IReadOnlyList<string>>();
        var current = new List<string>();
        long done = 0;
        for (var i = 0; i < layout.Count; i++)
        {
            current.Add(layout[i].Name);
            done += Math.Max(1, layout[i].ByteCount);
            var groupsLeft = count - groups.Count - 1;
            var tensorsLeft = layout.Count - i - 1;
            // Close the group at its share of the bytes, or when the remaining tensors are just enough for the remaining groups.
            if (groupsLeft > 0 && (done * count >= total * (groups.Count + 1) || tensorsLeft == groupsLeft))
            {
                groups.Add(current);
                current = [];
            }
        }

        if (current.Count > 0)
        {
            groups.Add(current);
        }

        return groups;
    }
}
