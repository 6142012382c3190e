namespace Cki.Contracts.Manifests;

/// <summary>
/// A parameter a merge method declares (as model-merging tools do): its key in the options files, what values it
/// takes, its default, and whether it must be given. Validation, defaults and provenance all come from here.
/// </summary>
/// <param name="Name">The key, e.g. <c>density</c> (<c>merge.density</c> in a family manifest).</param>
/// <param name="Expected">The values it takes, in words, for messages and <c>--help</c>.</param>
/// <param name="Default">The default as written in a file; null for a required parameter.</param>
public sealed record MergeMethodParameter(string Name, string Expected, string? Default)
{
    /// <summary>Whether the method cannot run without it.</summary>
    public bool Required => Default is null;
}
