namespace Cki.Compute.Data.MovieLens;

/// <summary>How ratings become click-through samples.</summary>
public sealed record CtrOptions
{
    /// <summary>Most recent positively rated movies kept as the click history.</summary>
    public int HistoryLength { get; init; } = 20;

    /// <summary>A rating at or above this is a positive (a "click").</summary>
    public float PositiveThreshold { get; init; } = 4.0f;

    /// <summary>Share of the time range (by rating count) that forms the training period.</summary>
    public double TrainFraction { get; init; } = 0.70;

    /// <summary>Share that forms the validation period; the rest, the latest, is the test period.</summary>
    public double ValidationFraction { get; init; } = 0.15;

    /// <summary>Genres kept per movie.</summary>
    public int MaxGenres { get; init; } = 6;
}

/// <summary>One click-through sample: a user, a target movie, the user's earlier positives, and whether this one is positive.</summary>
/// <param name="User">User index (1-based; 0 is padding).</param>
/// <param name="Item">Target movie index (1-based).</param>
/// <param name="History">Earlier positively rated movie indices, oldest first, at most the history length.</param>
/// <param name="Label">Whether the rating is at or above the threshold.</param>
/// <param name="Timestamp">When the rating was made.</param>
public sealed record CtrSample(int User, int Item, int[] History, bool Label, long Timestamp);

/// <summary>
/// MovieLens as click-through prediction: each user's ratings in time order; every rating is a sample whose
/// history is the user's earlier positive ratings (so nothing from the future leaks into a sample), labelled
/// positive at 4 stars or more. Train, validation and test are consecutive time periods cut at global rating-count
/// quantiles: every test sample is later than every training sample.
/// </summary>
public sealed class CtrDataset
{
    private CtrDataset(CtrOptions options, int users, int items, int genres, int[][] itemGenres,
        List<CtrSample> train, List<CtrSample> validation, List<CtrSample> test, long validationStart, long testStart)
    {
        Options = options;
        Users = users;
        Items = items;
        Genres = genres;
        ItemGenres = itemGenres;
        Train = train;
        Validation = validation;
        Test = test;
        ValidationStart = validationStart;
        TestStart = testStart;
    }

    /// <summary>The options used.</summary>
    public CtrOptions Options { get; }

    /// <summary>Number of users (indices 1..Users).</summary>
    public int Users { get; }

    /// <summary>Number of movies (indices 1..Items).</summary>
    public int Items { get; }

    /// <summary>Number of genres (indices 1..Genres).</summary>
    public int Genres { get; }

    /// <summary>Genre indices of each movie index (index 0: none).</summary>
    public IReadOnlyList<int[]> ItemGenres { get; }

    /// <summary>Samples of the training period.</summary>
    public IReadOnlyList<CtrSample> Train { get; }

    /// <summary>Samples of the validation period.</summary>
    public IReadOnlyList<CtrSample> Validation { get; }

    /// <summary>Samples of the test period.</summary>
    public IReadOnlyList<CtrSample> Test { get; }

    /// <summary>First timestamp of the validation period.</summary>
    public long ValidationStart { get; }

    /// <summary>First timestamp of the test period.</summary>
    public long TestStart { get; }

    /// <summary>Builds the samples from ratings.</summary>
    public static CtrDataset Build(MovieLensData data, CtrOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new CtrOptions();
        if (data.Ratings.Count == 0)
        {
            throw new ArgumentException("No ratings to build samples from.", nameof(data));
        }

        var userIndex = Index(data.Ratings.Select(r => r.UserId));
        var itemIndex = Index(data.Ratings.Select(r => r.MovieId).Concat(data.Movies.Keys));
        var genreIndex = Index(data.Movies.Values.SelectMany(m => m.Genres), StringComparer.Ordinal);
        var itemGenres = new int[itemIndex.Count + 1][];
        itemGenres[0] = [];
        foreach (var (movieId, index) in itemIndex)
        {
            itemGenres[index] = data.Movies.TryGetValue(movieId, out var movie)
                ? movie.Genres.Take(options.MaxGenres).Select(g => genreIndex[g]).ToArray()
                : [];
        }

        var times = data.Ratings.Select(r => r.Timestamp).Order().ToArray();
        var validationStart = times[Math.Min(times.Length - 1, (int)(times.Length * options.TrainFraction))];
        var testStart = times[Math.Min(times.Length - 1, (int)(times.Length * (options.TrainFraction + options.ValidationFraction)))];
        List<CtrSample> train = [], validation = [], test = [];
        foreach (var user in data.Ratings.GroupBy(r => r.UserId).OrderBy(g => g.Key))
        {
            var history = new List<int>();
            foreach (var rating in user.OrderBy(r => r.Timestamp).ThenBy(r => r.MovieId))
            {
                var item = itemIndex[rating.MovieId];
                var positive = rating.Rating >= options.PositiveThreshold;
                var sample = new CtrSample(userIndex[rating.UserId], item,
                    history.Skip(Math.Max(0, history.Count - options.HistoryLength)).ToArray(), positive, rating.Timestamp);
                (rating.Timestamp < validationStart ? train : rating.Timestamp < testStart ? validation : test).Add(sample);
                if (positive)
                {
                    history.Add(item);
                }
            }
        }

        return new CtrDataset(options, userIndex.Count, itemIndex.Count, genreIndex.Count, itemGenres, train, validation, test, validationStart, testStart);
    }

    private static Dictionary<T, int> Index<T>(IEnumerable<T> values, IComparer<T>? order = null)
        where T : notnull
    {
        var index = new Dictionary<T, int>();
        foreach (var value in values.Distinct().Order(order ?? Comparer<T>.Default))
        {
            index[value] = index.Count + 1;
        }

        return index;
    }
}
