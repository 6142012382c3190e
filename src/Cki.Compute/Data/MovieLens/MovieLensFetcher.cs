using Cki.Compute.Data.R;

namespace Cki.Compute.Data.MovieLens;

/// <summary>
/// Gets MovieLens "ml-latest-small" (2016; GroupLens terms: research use, cite Harper and Konstan 2015) from the
/// Debian package r-cran-dslabs, which ships it as the <c>movielens</c> data.frame in an R lazy-load database:
/// <c>apt-get download</c> and <c>dpkg -x</c> (no install, no dependencies), then our own reader of R's format.
/// Nothing is committed to the repository; the result is cached as GroupLens CSV files.
/// </summary>
public static class MovieLensFetcher
{
    /// <summary>The Debian package that ships the data.</summary>
    public const string Package = "r-cran-dslabs";

    private const string DataFolder = "usr/lib/R/site-library/dslabs/data";

    /// <summary>
    /// Makes sure <paramref name="cache"/> holds ratings.csv and movies.csv, fetching the package when it does not
    /// (or when <paramref name="force"/>); returns the loaded data.
    /// </summary>
    public static MovieLensData Fetch(string cache, bool force, Action<string>? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cache);
        if (!force && File.Exists(Path.Combine(cache, MovieLensData.RatingsFile)) && File.Exists(Path.Combine(cache, MovieLensData.MoviesFile)))
        {
            log?.Invoke($"using the cached copy in {cache}");
            return MovieLensData.Load(cache);
        }

        var work = Path.Combine(Path.GetTempPath(), $"cki-dslabs-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            log?.Invoke($"apt-get download {Package}");
            try
            {
                RunTool("apt-get", work, "download", Package);
            }
            catch (InvalidOperationException e) when (e.Message.Contains("Unable to locate package", StringComparison.Ordinal) && Environment.UserName == "root")
            {
                // A fresh machine may have no package lists yet; as root we can fetch them once and retry.
                log?.Invoke("no package lists yet: apt-get update");
                RunTool("apt-get", work, "update", "-qq");
                RunTool("apt-get", work, "download", Package);
            }
            var deb = Directory.GetFiles(work, $"{Package}_*.deb").SingleOrDefault()
                ?? throw new InvalidOperationException($"apt-get download {Package} left no .deb in {work}.");
            RunTool("dpkg", work, "-x", deb, Path.Combine(work, "root"));
            var data = Path.Combine(work, "root", DataFolder);
            var movielens = FromLazyLoad(Path.Combine(data, "Rdata.rdb"), Path.Combine(data, "Rdata.rdx"));
            movielens.Save(cache);
            log?.Invoke($"{movielens.Ratings.Count} ratings of {movielens.Movies.Count} movies written to {cache}");
            return movielens;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Reads the <c>movielens</c> data.frame out of a lazy-load database.</summary>
    public static MovieLensData FromLazyLoad(string rdb, string rdx)
    {
        var source = $"{rdb} object 'movielens'";
        var frame = RDataFrame.From(RLazyLoadDatabase.Open(rdb, rdx).Read("movielens"), source);
        var users = frame.Column<int>("userId", source);
        var movieIds = frame.Column<int>("movieId", source);
        var titles = frame.Column<string?>("title", source);
        var genres = frame.Column<string?>("genres", source);
        var ratings = frame.Columns.TryGetValue("rating", out var r) && r is double[] d ? d : throw new RDataFormatException($"{source}: no double column 'rating'.");
        var timestamps = frame.Columns["timestamp"] switch
        {
            int[] ints => ints.Select(v => (long)v).ToArray(),
            double[] doubles => doubles.Select(v => (long)v).ToArray(),
            _ => throw new RDataFormatException($"{source}: column 'timestamp' is not numeric."),
        };
        var movies = new Dictionary<int, Movie>();
        var list = new List<MovieRating>(frame.Rows);
        for (var i = 0; i < frame.Rows; i++)
        {
            if (users[i] == int.MinValue || movieIds[i] == int.MinValue || double.IsNaN(ratings[i]))
            {
                throw new RDataFormatException($"{source}: row {i + 1} has a missing userId, movieId or rating.");
            }

            movies.TryAdd(movieIds[i], new Movie(movieIds[i], titles[i] ?? string.Empty,
                genres[i] is null or "(no genres listed)" ? [] : genres[i]!.Split('|')));
            list.Add(new MovieRating(users[i], movieIds[i], (float)ratings[i], timestamps[i]));
        }

        return new MovieLensData(list, movies);
    }

    private static void RunTool(string program, string folder, params string[] args) =>
        FetchTool.Run(program, folder, $"to fetch MovieLens from {Package} (a Debian system)",
            program == "apt-get" ? " (run 'apt-get update' first if the package lists are empty)" : string.Empty, args);
}
