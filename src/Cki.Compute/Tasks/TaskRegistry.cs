using Cki.Compute.Data.MovieLens;
using Cki.Compute.Tasks.Din;
using Cki.Compute.Tasks.Synthetic;

namespace Cki.Compute.Tasks;

/// <summary>The tasks a merge config may name in its <c>task:</c> section.</summary>
public static class TaskRegistry
{
    private static readonly Dictionary<string, Func<ITaskModel>> Factories = new(StringComparer.Ordinal)
    {
        ["synthetic"] = () => new SyntheticTask(),
        ["movielens"] = () => new DinTask(CtrDataset.Build(LoadMovieLens(null))),
    };

    /// <summary>The environment variable naming the MovieLens cache folder (default <c>.cache/movielens</c>).</summary>
    public const string MovieLensCacheVariable = "CKI_MOVIELENS_CACHE";

    private static MovieLensData LoadMovieLens(string? dataFolder)
    {
        var folder = dataFolder ?? Environment.GetEnvironmentVariable(MovieLensCacheVariable) ?? Path.Combine(".cache", "movielens");
        if (!File.Exists(Path.Combine(folder, MovieLensData.RatingsFile)))
        {
            throw new FileNotFoundException($"No MovieLens data in {Path.GetFullPath(folder)}: run 'cki-compute data fetch movielens --cache {folder}' first.");
        }

        return MovieLensData.Load(folder);
    }

    /// <summary>The known task names.</summary>
    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>Creates the task called <paramref name="name"/>, or an error listing the known ones.</summary>
    public static ITaskModel Create(string name) =>
        Factories.TryGetValue(name, out var factory)
            ? factory()
            : throw new ArgumentException($"Unknown task '{name}'; known: {string.Join(", ", Factories.Keys)}.", nameof(name));

    /// <summary>
    /// Creates the task called <paramref name="name"/> on the data in <paramref name="dataFolder"/> (GroupLens CSV for
    /// movielens; <c>features.safetensors</c> for sentiment, judged on all three domains).
    /// </summary>
    public static ITaskModel Create(string name, string dataFolder) => name switch
    {
        "movielens" => new DinTask(CtrDataset.Build(LoadMovieLens(dataFolder))),
        "sentiment" => new Sentiment.SentimentTask(Sentiment.SentimentFeatures.Load(Path.Combine(dataFolder, Sentiment.SentimentFeatures.FileName)), ownsFeatures: true),
        _ => Create(name),
    };
}
