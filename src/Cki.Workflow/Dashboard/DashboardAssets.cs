using System.Net;

namespace Cki.Workflow.Dashboard;

/// <summary>
/// The dashboard's files (an HTML page, one script, one style sheet), embedded in this assembly so that both hosts
/// serve the same page. The page runs only its own files: no inline script or style, so the policy needs no nonce.
/// </summary>
public static class DashboardAssets
{
    /// <summary>The content security policy of the page and its files: its own script, style and API, nothing else.</summary>
    public const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The files the page loads (served beside it), by name.</summary>
    public static IReadOnlyDictionary<string, string> Files { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dashboard.js"] = "text/javascript; charset=utf-8",
        ["dashboard.css"] = "text/css; charset=utf-8",
    };

    /// <summary>
    /// The page, loading its files from <paramref name="assetsPath"/> (e.g. <c>/dashboard/</c>) and carrying
    /// <paramref name="token"/> (the local API token; empty where callers bring their own key) in a <c>meta</c> tag.
    /// </summary>
    public static string Page(string assetsPath, string token)
    {
        ArgumentNullException.ThrowIfNull(assetsPath);
        ArgumentNullException.ThrowIfNull(token);
        return Read("index.html")
            .Replace("{{ASSETS}}", WebUtility.HtmlEncode(assetsPath), StringComparison.Ordinal)
            .Replace("{{TOKEN}}", WebUtility.HtmlEncode(token), StringComparison.Ordinal);
    }

    /// <summary>One of <see cref="Files"/> with its content type; null for any other name.</summary>
    public static (string Content, string ContentType)? File(string name) =>
        name is not null && Files.TryGetValue(name, out var type) ? (Read(name), type) : null;

    private static string Read(string name)
    {
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream("Cki.Dashboard." + name)
            ?? throw new InvalidOperationException($"the dashboard's {name} is not embedded in {typeof(DashboardAssets).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
