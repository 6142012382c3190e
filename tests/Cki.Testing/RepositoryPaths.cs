namespace Cki.Testing;

/// <summary>Paths inside the repository the tests run from.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding Cki.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built with (Debug or Release), read off the output path.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The cki-compute DLL built beside the tests' configuration; an error saying how to build it when missing.</summary>
    public static string ComputeDll
    {
        get
        {
            var path = Path.Combine(Root, "src", "Cki.Compute", "bin", Configuration, "net10.0", "cki-compute.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build it first (dotnet build src/Cki.Compute -c {Configuration}).");
        }
    }

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
