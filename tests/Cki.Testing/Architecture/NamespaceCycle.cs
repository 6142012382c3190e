namespace Cki.Testing.Architecture;

/// <summary>Namespaces of one project that depend on each other in a circle, as <see cref="NamespaceGraph.Cycles"/> finds them.</summary>
public sealed class NamespaceCycle
{
    private readonly NamespaceGraph _graph;

    internal NamespaceCycle(IReadOnlyList<string> members, IReadOnlyList<string> path, NamespaceGraph graph)
    {
        Members = members;
        Path = path;
        _graph = graph;
    }

    /// <summary>Every namespace in the circle, in ordinal order.</summary>
    public IReadOnlyList<string> Members { get; }

    /// <summary>One closed path through the circle: it starts and ends with the same namespace.</summary>
    public IReadOnlyList<string> Path { get; }

    /// <summary>Every dependency between two namespaces of the circle, each with a file that makes it: the ones to cut from.</summary>
    public IReadOnlyList<string> Dependencies =>
        [.. Members.SelectMany(from => _graph.DependenciesOf(from).Where(Members.Contains).Select(to => $"{from} -> {to} ({_graph.Evidence(from, to)})"))];

    /// <summary>The path, each step with a file of its first namespace that uses the second, e.g. <c>A -> B (A/X.cs) -> A (B/Y.cs)</c>.</summary>
    public override string ToString() =>
        Path[0] + string.Concat(Path.Zip(Path.Skip(1)).Select(step => $" -> {step.Second} ({_graph.Evidence(step.First, step.Second)})"))
        + (Members.Count > Path.Count - 1 ? $"; the whole cycle: {string.Join(", ", Members)}" : "");
}
