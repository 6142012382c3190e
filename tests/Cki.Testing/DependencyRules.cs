namespace Cki.Testing;

/// <summary>
/// The dependency rule of docs/architecture.md, checked on build output: the Functions app, the host and the workflow never ship
/// TorchSharp or libtorch.
/// </summary>
public static class DependencyRules
{
    /// <summary>Files of TorchSharp or libtorch in the folder of the running tests, if any.</summary>
    public static IReadOnlyList<string> TorchFilesBesideTests() =>
        Directory.EnumerateFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories)
            .Select(Path.GetFileName)
            .Where(name => name!.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("libLibTorchSharp", StringComparison.OrdinalIgnoreCase))
            .Select(name => name!)
            .ToList();
}
