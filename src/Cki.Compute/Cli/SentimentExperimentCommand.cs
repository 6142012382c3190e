using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Cki.Compute.Data.Language;
using Cki.Compute.Experiments.Sentiment;
using Cki.Compute.Tasks.Sentiment;

namespace Cki.Compute.Cli;

/// <summary><c>cki-compute experiment sentiment</c>.</summary>
internal static class SentimentExperimentCommand
{
    /// <summary><c>cki-compute experiment encoders</c>: whole encoders judged by heads trained on their features.</summary>
    public static Command Encoders()
    {
        var encoders = new Option<string[]>("--encoders") { Description = "Encoder folders (model.safetensors, config.json, vocab.txt), e.g. the inputs and merges.", Required = true, AllowMultipleArgumentsPerToken = true };
        var seeds = new Option<int>("--seeds") { Description = "Heads per encoder, from seeds 0..N-1.", DefaultValueFactory = _ => 3 };
        var cache = new Option<string>("--cache") { Description = "Sentiment cache (data fetch sentiment); the features are cached there too.", DefaultValueFactory = _ => LanguageDataCommands.SentimentCache };
        var command = new Command("encoders", "Judge whole encoders (inputs and merges) by the test accuracy and AUC of sentiment heads trained on their features with one recipe.")
        {
            encoders, seeds, cache,
        };
        command.SetGuardedAction((parse, _) =>
        {
            var folder = Path.GetFullPath(parse.GetValue(cache)!);
            var data = SentimentFetcher.Fetch(folder, force: false, Log);
            var runs = EncoderComparison.Run(data, parse.GetValue(encoders)!.Select(Path.GetFullPath).ToList(), folder, Math.Max(1, parse.GetValue(seeds)), new SentimentExperimentOptions(), Log);
            Console.Write(EncoderComparison.Table(runs));
            return Task.FromResult(0);
        });
        return command;
    }

    private static void Log(string line) => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"experiment {DateTime.UtcNow:HH:mm:ss}: {line}"));

    public static Command Create()
    {
        var seeds = new Option<int?>("--seeds") { Description = "Seeds (default 5, or 2 with --quick)." };
        var quick = new Option<bool>("--quick") { Description = "A small configuration (CI, demos): 2 seeds, 4 head epochs, 2 assessment epochs, one learning rate." };
        var settings = new Option<string[]>("--settings") { Description = "seeds, domains and/or one-parent (default seeds and domains; one-parent is opt-in).", AllowMultipleArgumentsPerToken = true };
        var encoder = new Option<string>("--encoder") { Description = "Encoder folder (data fetch encoders).", DefaultValueFactory = _ => Path.Combine(LanguageDataCommands.EncodersCache, "minilm") };
        var cache = new Option<string>("--cache") { Description = "Sentiment cache (data fetch sentiment); the features are cached there too.", DefaultValueFactory = _ => LanguageDataCommands.SentimentCache };
        var output = new Option<string>("--out") { Description = "Folder for results.md, results.json and the plots.", DefaultValueFactory = _ => Path.Combine("out", "experiment-sentiment") };
        var command = new Command("sentiment", "Train sentiment heads on a frozen encoder's features (two seeds per domain; one head per domain), integrate them with CKI and the baselines, and report test accuracy and AUC with paired differences to the best input.")
        {
            seeds, quick, settings, encoder, cache, output,
        };
        command.SetGuardedAction((parse, _) =>
        {
            var options = parse.GetValue(quick) ? SentimentExperimentOptions.Quick : new SentimentExperimentOptions();
            options = options with { SeedCount = Math.Max(1, parse.GetValue(seeds) ?? options.SeedCount) };
            if (parse.GetValue(settings) is { Length: > 0 } named)
            {
                options = options with
                {
                    Settings = named.Select(s => s is SentimentExperimentOptions.Seeds or SentimentExperimentOptions.Domains or SentimentExperimentOptions.OneParent
                        ? s : throw new ArgumentException($"--settings: '{s}' is not seeds, domains or one-parent.")).ToList(),
                };
            }

            var clock = Stopwatch.StartNew();
            var folder = Path.GetFullPath(parse.GetValue(cache)!);
            var encoderFolder = Path.GetFullPath(parse.GetValue(encoder)!);
            EncoderFetcher.Fetch(Path.GetDirectoryName(encoderFolder)!, force: false, log: Log);
            var data = SentimentFetcher.Fetch(folder, force: false, Log);
            using var features = SentimentFeatures.LoadOrCompute(data, encoderFolder, folder, Log);
            var name = Path.GetFileName(encoderFolder);
            var outFolder = Path.GetFullPath(parse.GetValue(output)!);
            var runs = SentimentExperiment.Run(features, options, Log, soFar => SentimentReport.Write(outFolder, soFar, options, name, clock.Elapsed.TotalSeconds));
            Console.Write(SentimentReport.Write(outFolder, runs, options, name, clock.Elapsed.TotalSeconds));
            Console.WriteLine($"Written to {outFolder}/results.md and results.json");
            return Task.FromResult(0);
        });
        return command;
    }
}
