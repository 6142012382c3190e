using Cki.Compute.Tasks;

namespace Cki.Compute.Config;

/// <summary>Turns a <see cref="TensorSelection"/> into a predicate over tensor names.</summary>
public static class TensorSelectionMatcher
{
    /// <summary>
    /// The predicate: everything for <c>all</c>; the task's head weight matrices for <c>head</c> (an error without a
    /// task, which is what knows its head); glob patterns otherwise.
    /// </summary>
    public static Func<string, bool> For(TensorSelection selection, ITaskModel? task)
    {
        ArgumentNullException.ThrowIfNull(selection);
        switch (selection.Mode)
        {
            case "all":
                return _ => true;
            case "head":
                var head = (task ?? throw new ConfigException("tensors: head needs a 'task:' section; the task knows its head. Use all or glob patterns."))
                    .HeadTensors.ToHashSet(StringComparer.Ordinal);
                return head.Contains;
            default:
                var patterns = selection.Patterns;
                return name => patterns.Any(p => Contracts.Manifests.TensorSelection.PatternMatches(p, name));
        }
    }
}
