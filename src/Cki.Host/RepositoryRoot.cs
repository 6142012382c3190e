namespace Cki.Host;

/// <summary>Finds the repository (the folder holding Cki.sln) from the working folder or the program's folder.</summary>
public static class RepositoryRoot
{
    private static readonly string[] Configurations = ["Release", "Debug"];

    /// <summary>The repository's root, or null when run outside one.</summary>
    public static string? Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "Cki.sln")))
                {
                    return folder.FullName;
                }
            }
        }

        return null;
    }

    /// <summary>The built cki-compute DLL in the repository (Release preferred), or null.</summary>
    public static string? ComputeDll(string? root) =>
        root is null ? null : Configurations
            .Select(c => Path.Combine(root, "src", "Cki.Compute", "bin", c, "net10.0", "cki-compute.dll"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
}
