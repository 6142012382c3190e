using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cki.Compute.Tasks.Sentiment;

/// <summary>One labelled sentence of the UCI Sentiment Labelled Sentences (Kotzias et al. 2015).</summary>
/// <param name="Domain">amazon, imdb or yelp.</param>
/// <param name="Split">The fixed split it belongs to.</param>
/// <param name="Label">1 positive, 0 negative.</param>
/// <param name="Text">The sentence.</param>
public sealed record LabelledSentence(string Domain, TaskSplit Split, int Label, string Text);

/// <summary>
/// The sentiment sentences with their fixed splits, as <c>data fetch sentiment</c> caches them in
/// <c>sentences.json</c>. Per domain, per class, a seeded shuffle puts 60 % in train, 20 % in validation and 20 %
/// in test (stratified: each split keeps the domain's 50/50 balance).
/// </summary>
public sealed record SentimentData(IReadOnlyList<LabelledSentence> Sentences)
{
    /// <summary>The cache file.</summary>
    public const string FileName = "sentences.json";

    /// <summary>The three domains, in report order.</summary>
    public static IReadOnlyList<string> Domains { get; } = ["amazon", "imdb", "yelp"];

    /// <summary>The seed of the split shuffle (fixed: the splits are part of the data set's definition here).</summary>
    public const int SplitSeed = 20150101;

    private static readonly JsonSerializerOptions Options = new() { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    /// <summary>The sentences of <paramref name="domain"/> (or all domains when null) in <paramref name="split"/>, in file order.</summary>
    public IReadOnlyList<LabelledSentence> Select(string? domain, TaskSplit split) =>
        Sentences.Where(s => s.Split == split && (domain is null || s.Domain == domain)).ToList();

    /// <summary>Assigns the fixed splits to the labelled sentences of each domain.</summary>
    public static SentimentData Split(IEnumerable<(string Domain, int Label, string Text)> sentences)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var result = new List<LabelledSentence>();
        foreach (var group in sentences.GroupBy(s => (s.Domain, s.Label)).OrderBy(g => g.Key.Domain, StringComparer.Ordinal).ThenBy(g => g.Key.Label))
        {
            var items = group.ToList();
            var order = Enumerable.Range(0, items.Count).ToArray();
            // One stream per (domain, class), from the domain's place in Domains: stable across runs and .NET versions.
            var stream = (Domains.ToList().IndexOf(group.Key.Domain) * 2) + group.Key.Label;
            new Random(SplitSeed + stream).Shuffle(order);
            var train = (int)Math.Round(items.Count * 0.6);
            var validation = (int)Math.Round(items.Count * 0.2);
            for (var rank = 0; rank < order.Length; rank++)
            {
                var split = rank < train ? TaskSplit.Train : rank < train + validation ? TaskSplit.Validation : TaskSplit.Test;
                var (domain, label, text) = items[order[rank]];
                result.Add(new LabelledSentence(domain, split, label, text));
            }
        }

        return new SentimentData(result);
    }

    /// <summary>Writes <c>sentences.json</c> into <paramref name="folder"/>.</summary>
    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        File.WriteAllText(path + ".partial", JsonSerializer.Serialize(Sentences, Options));
        File.Move(path + ".partial", path, overwrite: true);
    }

    /// <summary>Reads <c>sentences.json</c> from <paramref name="folder"/>.</summary>
    public static SentimentData Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No sentiment data in {Path.GetFullPath(folder)}: run 'cki-compute data fetch sentiment --cache {folder}' first.");
        }

        try
        {
            var sentences = JsonSerializer.Deserialize<List<LabelledSentence>>(File.ReadAllText(path), Options) ?? [];
            return new SentimentData(sentences);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }
    }
}
