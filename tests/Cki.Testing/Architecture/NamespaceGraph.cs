using System.Text.RegularExpressions;

namespace Cki.Testing.Architecture;

/// <summary>
/// Which of a project's namespaces use which, read from its .cs files: a file's namespace depends on another when the
/// file has a <c>using</c> of it, or names a type declared there (one of an enclosing namespace, which needs no
/// <c>using</c>, or one written qualified). An approximation by regular expressions over declared type names,
/// close enough to find the cycles a folder layout should not have.
/// </summary>
public sealed partial class NamespaceGraph
{
    private readonly SortedDictionary<string, SortedDictionary<string, string>> _edges;

    private NamespaceGraph(SortedDictionary<string, SortedDictionary<string, string>> edges) => _edges = edges;

    /// <summary>The namespaces declared in the project.</summary>
    public IReadOnlyCollection<string> Namespaces => _edges.Keys;

    /// <summary>The graph of the .cs files under <paramref name="projectDirectory"/> (build output left out).</summary>
    public static NamespaceGraph Of(string projectDirectory)
    {
        var files = Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(Path.GetRelativePath(projectDirectory, path)))
            .Order(StringComparer.Ordinal)
            .Select(path => new SourceFile(Path.GetRelativePath(projectDirectory, path), Code(File.ReadAllText(path))))
            .Where(file => file.Namespace is not null)
            .ToList();
        var declaredIn = files
            .SelectMany(file => DeclaredTypes().Matches(file.Code).Select(m => (Type: m.Groups["name"].Value, file.Namespace)))
            .GroupBy(d => d.Type, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(d => d.Namespace!).Distinct().ToList(), StringComparer.Ordinal);
        var edges = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            edges.TryAdd(file.Namespace!, new(StringComparer.Ordinal));
        }

        foreach (var file in files)
        {
            var used = file.Usings.Select(u => Longest(u, edges.Keys)).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var target in used.Concat(ReferencedNamespaces(file, used, declaredIn)))
            {
                if (target != file.Namespace)
                {
                    edges[file.Namespace!].TryAdd(target, file.Path);
                }
            }
        }

        return new NamespaceGraph(edges);
    }

    /// <summary>The namespaces <paramref name="ns"/> depends on.</summary>
    public IReadOnlyCollection<string> DependenciesOf(string ns) => _edges.TryGetValue(ns, out var targets) ? targets.Keys : [];

    /// <summary>A file that makes <paramref name="from"/> depend on <paramref name="to"/>; null when it does not.</summary>
    public string? Evidence(string from, string to) => _edges.TryGetValue(from, out var targets) && targets.TryGetValue(to, out var file) ? file : null;

    /// <summary>
    /// Every set of namespaces that depend on each other in a circle (a strongly connected component of two or more),
    /// each with one closed path through it; empty for a graph without cycles.
    /// </summary>
    public IReadOnlyList<NamespaceCycle> Cycles() =>
        [.. StronglyConnected().Where(c => c.Count > 1).Select(c => new NamespaceCycle(c, PathThrough(c), this))];

    private static bool IsBuildOutput(string relativePath) =>
        relativePath.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj");

    // The code without comments and string literals, so prose and messages naming a type are not references.
    private static string Code(string text) => CommentsAndStrings().Replace(text, m => m.Value.StartsWith('/') ? " " : "\"\"");

    private static string? Longest(string name, IEnumerable<string> namespaces) =>
        namespaces.Where(ns => name == ns || name.StartsWith(ns + ".", StringComparison.Ordinal)).MaxBy(ns => ns.Length);

    // Types named without a using: those of an enclosing namespace, and those written qualified (Method.Assessment).
    private static IEnumerable<string> ReferencedNamespaces(SourceFile file, HashSet<string> used, Dictionary<string, List<string>> declaredIn)
    {
        foreach (Match reference in Identifiers().Matches(file.Code))
        {
            if (!declaredIn.TryGetValue(reference.Groups["name"].Value, out var candidates) || candidates.Contains(file.Namespace!)
                || candidates.Any(used.Contains))
            {
                continue;
            }

            var qualifier = reference.Groups["qualifier"].Value.TrimEnd('.');
            foreach (var ns in candidates)
            {
                var enclosing = file.Namespace!.StartsWith(ns + ".", StringComparison.Ordinal);
                var qualified = qualifier.Length > 0 && (ns == qualifier || ns.EndsWith("." + qualifier, StringComparison.Ordinal));
                if (enclosing || qualified)
                {
                    yield return ns;
                }
            }
        }
    }

    private List<List<string>> StronglyConnected()
    {
        // Tarjan's algorithm; the graphs are a few dozen namespaces, so recursion depth is no concern.
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var components = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            foreach (var next in DependenciesOf(node))
            {
                if (index.TryGetValue(next, out var seen))
                {
                    low[node] = stack.Contains(next) ? Math.Min(low[node], seen) : low[node];
                }
                else
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    component.Add(member);
                }
                while (member != node);
                components.Add([.. component.Order(StringComparer.Ordinal)]);
            }
        }

        foreach (var node in _edges.Keys.Where(n => !index.ContainsKey(n)))
        {
            Visit(node);
        }

        return components;
    }

    // The shortest way from the component's first namespace back to itself, staying inside the component.
    private List<string> PathThrough(List<string> component)
    {
        var start = component[0];
        var cameFrom = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var next in DependenciesOf(node).Where(component.Contains))
            {
                if (next == start)
                {
                    var path = new List<string> { start };
                    for (var step = node; step != start; step = cameFrom[step])
                    {
                        path.Add(step);
                    }

                    path.Add(start);
                    path.Reverse();
                    return path;
                }

                if (cameFrom.TryAdd(next, node))
                {
                    queue.Enqueue(next);
                }
            }
        }

        throw new InvalidOperationException($"{start} is in a cycle but no path leads back to it.");
    }

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@""(?:[^""]|"""")*""|""(?:\\.|[^""\\\n])*""|'(?:\\.|[^'\\\n])'", RegexOptions.Singleline)]
    private static partial Regex CommentsAndStrings();

    [GeneratedRegex(@"^\s*namespace\s+(?<name>[\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?(?<name>[\w.]+)", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record)\s+(?<name>[A-Za-z_]\w*)|\bdelegate\s+[\w<>\[\],.?]+\s+(?<name>[A-Za-z_]\w*)\s*[<(]")]
    private static partial Regex DeclaredTypes();

    [GeneratedRegex(@"(?<=(?<qualifier>(?:\b[A-Za-z_]\w*\.)*))\b(?<name>[A-Z]\w*)")]
    private static partial Regex Identifiers();

    private sealed class SourceFile(string path, string code)
    {
        public string Path { get; } = path;

        public string Code { get; } = code;

        public string? Namespace { get; } = NamespaceDeclaration().Match(code) is { Success: true } m ? m.Groups["name"].Value : null;

        // Only the directives before the namespace: further down, "using" opens a disposal scope.
        public IReadOnlyList<string> Usings { get; } =
            [.. UsingDirective().Matches(code[..Math.Max(0, NamespaceDeclaration().Match(code).Index)]).Select(m => m.Groups["name"].Value)];
    }
}
