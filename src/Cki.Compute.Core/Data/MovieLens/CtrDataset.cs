namespace Cki.Compute.Data.MovieLens;

/// <summary>How samples are divided into train, validation and test.</summary>
public enum CtrSplit
{
    /// <summary>
    /// Each user's samples in time order: the first share to training, the next to validation, the last to test (the
    /// history/target/label sequence format of the authors' data). Every validation and test user has training samples.
    /// </summary>
    PerUser,

    /// <summary>
    /// One global time cut at rating-count quantiles: every test sample is later than every training sample, and most
    /// test users have no training samples ("cold-start").
    /// </summary>
    ColdStart,
}

/// <summary>How ratings become click-through samples.</summary>
public sealed record CtrOptions
{
    /// <summary>Most recent positively rated movies kept as the click history.</summary>
    public int HistoryLength { get; init; } = 20;

    /// <summary>A rating at or above this is a positive (a "click").</summary>
    public float PositiveThreshold { get; init; } = 4.0f;

    /// <summary>How the samples are split (per user by default).</summary>
    public CtrSplit Split { get; init; } = CtrSplit.PerUser;

    /// <summary>
    /// Share of the samples that forms the training part: of each user's samples (per-user split), or of the time range
    /// by rating count (cold-start split).
    /// </summary>
    public double TrainFraction { get; init; } = 0.70;

    /// <summary>Share that forms the validation part; the rest, the latest, is the test part.</summary>
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

/// <summary>The share of a split's samples whose user, and whose target movie, occur in the training samples.</summary>
/// <param name="Samples">Samples in the split.</param>
/// <param name="UserSeen">Share whose user has a training sample.</param>
/// <param name="ItemSeen">Share whose target movie is the target of a training sample.</param>
public sealed record SplitCoverage(int Samples, double UserSeen, double ItemSeen)
{
    /// <summary>The coverage of <paramref name="samples"/> by <paramref name="train"/>.</summary>
    public static SplitCoverage Of(IReadOnlyList<CtrSample> train, IReadOnlyList<CtrSample> samples)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(samples);
        var users = train.Select(s => s.User).ToHashSet();
        var items = train.Select(s => s.Item).ToHashSet();
        return samples.Count == 0
            ? new SplitCoverage(0, double.NaN, double.NaN)
            : new SplitCoverage(samples.Count, samples.Count(s => users.Contains(s.User)) / (double)samples.Count,
                samples.Count(s => items.Contains(s.Item)) / (double)samples.Count);
    }
}

/// <summary>
/// MovieLens as click-through prediction: each user's ratings in time order; every rating is a sample whose
/// history is the user's earlier positive ratings (so nothing from the future leaks into a sample), labelled
/// positive at 4 stars or more. By default every user's samples are split in time order (<see cref="CtrSplit.PerUser"/>);
/// <see cref="CtrSplit.ColdStart"/> cuts consecutive global time periods instead.
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

    /// <summary>The validation and test samples' coverage by the training samples.</summary>
    public (SplitCoverage Validation, SplitCoverage Test) Coverage() => (SplitCoverage.Of(Train, Validation), SplitCoverage.Of(Train, Test));

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
            var ordered = user.OrderBy(r => r.Timestamp).ThenBy(r => r.MovieId).ToList();
            var (trainCount, validationCount) = PerUserCounts(ordered.Count, options);
            for (var i = 0; i < ordered.Count; i++)
            {
                var rating = ordered[i];
                var item = itemIndex[rating.MovieId];
                var positive = rating.Rating >= options.PositiveThreshold;
                var sample = new CtrSample(userIndex[rating.UserId], item,
                    history.Skip(Math.Max(0, history.Count - options.HistoryLength)).ToArray(), positive, rating.Timestamp);
                var target = options.Split == CtrSplit.PerUser
                    ? i < trainCount ? train : i < trainCount + validationCount ? validation : test
                    : rating.Timestamp < validationStart ? train : rating.Timestamp < testStart ? validation : test;
                target.Add(sample);
                if (positive)
                {
                    history.Add(item);
                }
            }
        }

        if (options.Split == CtrSplit.PerUser)
        {
            // Periods do not apply; the first validation and test times are the earliest such samples.
            validationStart = validation.Count == 0 ? long.MaxValue : validation.Min(s => s.Timestamp);
            testStart = test.Count == 0 ? long.MaxValue : test.Min(s => s.Timestamp);
        }

        return new CtrDataset(options, userIndex.Count, itemIndex.Count, genreIndex.Count, itemGenres, train, validation, test, validationStart, testStart);
    }

    /// <summary>
    /// How many of a user's <paramref name="count"/> samples (in time order) go to training and to validation under
    /// the per-user split; the rest go to test. Training gets <c>round(count * TrainFraction)</c> and validation
    /// <c>round(count * ValidationFraction)</c> (halves away from zero), but a user with 3 or more samples keeps at least
    /// one in each part, and training at least one; a user with 1 or 2 samples has them all in training.
    /// </summary>
    public static (int Train, int Validation) PerUserCounts(int count, CtrOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (count < 3)
        {
            return (count, 0);
        }

        var validation = Math.Max(1, (int)Math.Round(count * options.ValidationFraction, MidpointRounding.AwayFromZero));
        var test = Math.Max(1, count - (int)Math.Round(count * options.TrainFraction, MidpointRounding.AwayFromZero) - validation);
        var train = Math.Max(1, count - validation - test);
        validation = count - train - test;
        return (train, validation);
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
