using System.CommandLine;
using Cki.Compute.Data.MovieLens;

namespace Cki.Compute.Cli;

/// <summary><c>cki-compute data fetch movielens</c>: gets MovieLens into a local cache.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var cache = new Option<string>("--cache") { Description = "Cache folder (git-ignored).", DefaultValueFactory = _ => Path.Combine(".cache", "movielens") };
        var force = new Option<bool>("--force") { Description = "Fetch again even if the cache is filled." };
        var from = new Option<string?>("--from") { Description = "Read GroupLens' own ratings.csv and movies.csv from this folder instead of the Debian package." };
        var movielens = new Command("movielens", "MovieLens ml-latest-small (100,004 ratings) from the Debian package r-cran-dslabs, or from GroupLens CSV files.")
        {
            cache, force, from,
        };
        movielens.SetGuardedAction((parse, _) =>
        {
            var folder = Path.GetFullPath(parse.GetValue(cache)!);
            var data = parse.GetValue(from) is { } source ? MovieLensData.Load(source) : MovieLensFetcher.Fetch(folder, parse.GetValue(force), line => Console.Error.WriteLine($"data: {line}"));
            if (parse.GetValue(from) is not null)
            {
                data.Save(folder);
            }

            Console.WriteLine($"{data.Ratings.Count} ratings by {data.Ratings.Select(r => r.UserId).Distinct().Count()} users of {data.Movies.Count} movies in {folder}");
            return Task.FromResult(0);
        });
        var fetch = new Command("fetch", "Fetch a data set into the local cache.") { movielens, LanguageDataCommands.Encoders(), LanguageDataCommands.Sentiment() };
        return new Command("data", "Data sets the tasks use.") { fetch };
    }
}
