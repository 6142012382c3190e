using Cki.Testing;

namespace Cki.Infra.Tests;

/// <summary>Files of the repository the tests read (manifests, hooks, azure.yaml), relative to its root.</summary>
public static class RepositoryFiles
{
    /// <summary>The repository's root (the folder of Cki.sln).</summary>
    public static string Root => RepositoryPaths.Root;

    /// <summary>The full path of a file given relative to the root.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A file's text.</summary>
    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts));
}
