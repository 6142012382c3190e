using Cki.Compute.Data.MovieLens;
using Cki.Compute.Tasks.Din;
using Cki.Compute.Tasks.Sentiment;
using Cki.Compute.Tasks.Synthetic;
using static TorchSharp.torch;

namespace Cki.Compute.Tasks.Registry;

/// <summary>The tasks a merge config may name in its <c>task:</c> section.</summary>
public static class TaskRegistry
{
    private static readonly Dictionary<string, Func<string?, Device?, ITaskModel>> Factories = new(StringComparer.Ordinal)
    {
        ["synthetic"] = (_, device) => new SyntheticTask(device: device),
        ["movielens"] = (folder, device) => new DinTask(CtrDataset.Build(LoadMovieLens(folder)), device: device),
        ["sentiment"] = (folder, device) => new SentimentTask(SentimentFeatures.Load(Path.Combine(
            folder ?? throw new ArgumentException("The sentiment task needs the folder of its cached features (features.safetensors)."), SentimentFeatures.FileName)),
            ownsFeatures: true, device: device),
    };

    /// <summary>Where <c>movielens</c> looks for its data when no folder is given.</summary>
    public static string DefaultMovieLensFolder { get; } = Path.Combine(".cache", "movielens");

    private static MovieLensData LoadMovieLens(string? dataFolder)
    {
        var folder = dataFolder ?? DefaultMovieLensFolder;
        if (!File.Exists(Path.Combine(folder, MovieLensData.RatingsFile)))
        {
            throw new FileNotFoundException($"No MovieLens data in {Path.GetFullPath(folder)}: run 'cki-compute data fetch movielens --cache {folder}' first.");
        }

        return MovieLensData.Load(folder);
    }

    /// <summary>The known task names.</summary>
    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>
    /// Creates the task called <paramref name="name"/> on the data in <paramref name="dataFolder"/> (the MovieLens
    /// cache or GroupLens CSV for <c>movielens</c>, the task's default folder when null; <c>features.safetensors</c> for
    /// <c>sentiment</c>, judged on all three domains), on <paramref name="device"/>
    /// (the CPU when null), or an error listing the known ones.
    /// </summary>
    public static ITaskModel Create(string name, string? dataFolder = null, Device? device = null) =>
        Factories.TryGetValue(name, out var factory)
            ? factory(dataFolder, device)
            : throw new ArgumentException($"Unknown task '{name}'; known: {string.Join(", ", Factories.Keys)}.", nameof(name));
}
