namespace Cki.Infra.Tests;

/// <summary>Files of the repository the tests read (manifests, hooks, azure.yaml), found from the test's output folder.</summary>
public static class RepositoryFiles
{
    /// <summary>The repository's root (the folder of Cki.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The full path of a file given relative to the root.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A file's text.</summary>
    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts));

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Cki.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Cki.sln not found above the test folder");
    }
}
