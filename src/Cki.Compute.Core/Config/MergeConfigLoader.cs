using Cki.Contracts.Manifests;

namespace Cki.Compute.Config;

/// <summary>
/// Reads <c>merge.yaml</c> (<see cref="MergeFileParser"/>, the reader family manifests use) into a
/// <see cref="MergeConfig"/>; relative model, base and output paths are taken from the file's folder.
/// </summary>
public static class MergeConfigLoader
{
    /// <summary>Loads and validates a config file; every local model (and the base) must exist.</summary>
    /// <exception cref="ManifestException">The file is missing, too large or not valid; the message names it.</exception>
    public static MergeConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new ManifestException(path, ManifestException.DocumentField, 1, 1, "no such file");
        }

        if (info.Length > MergeFileParser.MaxBytes)
        {
            throw ManifestException.TooLarge(path, info.Length);
        }

        return Parse(File.ReadAllText(path), path, Path.GetDirectoryName(Path.GetFullPath(path))!, p => File.Exists(p) || Directory.Exists(p));
    }

    /// <summary>
    /// Parses config text; <paramref name="baseFolder"/> anchors relative paths. With <paramref name="exists"/>, every
    /// local model path (and <c>base</c>) must exist, or the error names its entry.
    /// </summary>
    public static MergeConfig Parse(string text, string file, string baseFolder, Func<string, bool>? exists = null)
    {
        var parsed = MergeFileParser.Parse(text, file, exists is null ? null : given =>
            IsUrl(given) || exists(Anchor(given, baseFolder)) ? null : "no such file or folder");
        return new MergeConfig(parsed with
        {
            Models = parsed.Models.Select(m => Anchor(m, baseFolder)).ToList(),
            Merge = parsed.Merge with { Base = parsed.Merge.Base is { } b ? Anchor(b, baseFolder) : null },
            Output = Anchor(parsed.Output, baseFolder),
        })
        {
            ConfigFolder = baseFolder,
        };
    }

    private static bool IsUrl(string location) => location.Contains("://", StringComparison.Ordinal);

    private static string Anchor(string location, string baseFolder) =>
        IsUrl(location) || Path.IsPathRooted(location) ? location : Path.GetFullPath(Path.Combine(baseFolder, location));
}
