using System.Text.Json;
using Cki.Contracts.Jobs;

namespace Cki.Contracts.Runs;

/// <summary>Reads <c>integrated/{family}/latest.json</c> back, leniently: the one place that knows its shape on reading.</summary>
public static class LatestPointer
{
    /// <summary>
    /// The published run as recorded; null for a pointer that names no run (written by hand, or not JSON). A pointer of
    /// an older version, without inputs or manifest, gives a run with neither: there is nothing to be newer than.
    /// </summary>
    public static PublishedRun? Read(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            using var json = JsonDocument.Parse(content);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("run_id", out var runId) || runId.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var inputs = root.TryGetProperty("inputs", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.Deserialize<List<RunInput>>(JobJson.Options) ?? []
                : [];
            var manifest = root.TryGetProperty("manifest", out var m) && m.ValueKind == JsonValueKind.Object
                ? m.Deserialize<PublishedManifest>(JobJson.Options)
                : null;
            return new PublishedRun
            {
                Family = Text(root, "family"), RunId = runId.GetString()!, Folder = Text(root, "folder"), Model = Text(root, "model"), Inputs = inputs, Manifest = manifest,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
