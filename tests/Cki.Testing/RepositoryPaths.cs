namespace Cki.Testing;

/// <summary>Paths inside the repository the tests run from.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding Cki.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built with (Debug or Release), read off the output path.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cki.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Cki.sln above {AppContext.BaseDirectory}.");
    }
}
