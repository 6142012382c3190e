using Cki.Compute.Data.MovieLens;

namespace Cki.Compute.Tests.Data;

public class CtrDatasetTests
{
    private static MovieLensData Tiny() => new(
    [
        // user 7: t=1 movie 10 (5 stars), t=2 movie 20 (2 stars), t=3 movie 30 (4 stars), t=10 movie 40 (4.5 stars)
        new MovieRating(7, 10, 5f, 1), new MovieRating(7, 20, 2f, 2), new MovieRating(7, 30, 4f, 3), new MovieRating(7, 40, 4.5f, 10),
        // user 9: t=4 movie 20 (4 stars), t=5 movie 10 (1 star)
        new MovieRating(9, 20, 4f, 4), new MovieRating(9, 10, 1f, 5),
    ],
    new Dictionary<int, Movie>
    {
        [10] = new(10, "A", ["Drama"]),
        [20] = new(20, "B", ["Comedy", "Drama"]),
        [30] = new(30, "C", []),
        [40] = new(40, "D", ["Action"]),
    });

    [Fact]
    public void Build_HistoryHoldsOnlyEarlierPositives_LabelsAtFourStars()
    {
        var data = CtrDataset.Build(Tiny(), new CtrOptions { TrainFraction = 0.5, ValidationFraction = 0.25 });
        var all = data.Train.Concat(data.Validation).Concat(data.Test).Where(s => s.User == 1).OrderBy(s => s.Timestamp).ToList();
        // Movie indices by movieId order: 10 -> 1, 20 -> 2, 30 -> 3, 40 -> 4.
        Assert.Equal([1, 2, 3, 4], all.Select(s => s.Item));
        Assert.Equal([true, false, true, true], all.Select(s => s.Label));
        Assert.Empty(all[0].History);
        Assert.Equal([1], all[1].History);
        Assert.Equal([1], all[2].History);
        Assert.Equal([1, 3], all[3].History);
    }

    [Fact]
    public void Build_ColdStart_SplitsAreConsecutiveTimePeriods()
    {
        // Six ratings at t = 1, 2, 3, 4, 5, 10: train = first 3 (t < 4), validation = t in [4, 5), test = t >= 5.
        var data = CtrDataset.Build(Tiny(), new CtrOptions { Split = CtrSplit.ColdStart, TrainFraction = 0.5, ValidationFraction = 1.0 / 6 });
        Assert.Equal(4, data.ValidationStart);
        Assert.Equal(5, data.TestStart);
        Assert.Equal([1L, 2, 3], data.Train.Select(s => s.Timestamp).Order());
        Assert.Equal([4L], data.Validation.Select(s => s.Timestamp));
        Assert.Equal([5L, 10], data.Test.Select(s => s.Timestamp).Order());
        Assert.True(data.Train.Max(s => s.Timestamp) < data.Test.Min(s => s.Timestamp));
    }

    [Fact]
    public void Build_GenresAreIndexedPerMovie()
    {
        var data = CtrDataset.Build(Tiny());
        // Genres by name order: Action 1, Comedy 2, Drama 3.
        Assert.Equal(3, data.Genres);
        Assert.Equal([2, 3], data.ItemGenres[2]);
        Assert.Empty(data.ItemGenres[3]);
    }

    // Three users, movies a..g = ids 1..7 (indices 1..7), no genres needed. Ratings are all 5 stars.
    // user 1: a b c d e at t = 1..5; user 2: d a c at t = 6, 7, 8; user 3: b g at t = 9, 10.
    private static MovieLensData Three() => new(
    [
        new MovieRating(1, 1, 5f, 1), new MovieRating(1, 2, 5f, 2), new MovieRating(1, 3, 5f, 3), new MovieRating(1, 4, 5f, 4), new MovieRating(1, 5, 5f, 5),
        new MovieRating(2, 4, 5f, 6), new MovieRating(2, 1, 5f, 7), new MovieRating(2, 3, 5f, 8),
        new MovieRating(3, 2, 5f, 9), new MovieRating(3, 7, 5f, 10),
    ],
    Enumerable.Range(1, 7).ToDictionary(i => i, i => new Movie(i, $"m{i}", ["Drama"])));

    [Theory]
    [InlineData(1, 0.7, 0.15, 1, 0)]
    [InlineData(2, 0.7, 0.15, 2, 0)]
    [InlineData(3, 0.7, 0.15, 1, 1)]   // round(0.45) = 0 -> at least 1 each: 1 / 1 / 1
    [InlineData(5, 0.6, 0.2, 3, 1)]    // 3 / 1 / 1
    [InlineData(20, 0.7, 0.15, 14, 3)] // 14 / 3 / 3
    [InlineData(7, 0.7, 0.15, 5, 1)]   // round(4.9) = 5, round(1.05) = 1 -> 5 / 1 / 1
    public void PerUserCounts_RoundsAndKeepsOneInEveryPart(int count, double train, double validation, int expectedTrain, int expectedValidation)
    {
        var (t, v) = CtrDataset.PerUserCounts(count, new CtrOptions { TrainFraction = train, ValidationFraction = validation });
        Assert.Equal((expectedTrain, expectedValidation), (t, v));
    }

    [Fact]
    public void Build_PerUser_LastSamplesOfEveryUserAreTestAndTheOnesBeforeValidation()
    {
        var data = CtrDataset.Build(Three(), new CtrOptions { TrainFraction = 0.6, ValidationFraction = 0.2 });
        // user 1 (5 samples): train a b c, validation d, test e; user 2 (3): train d, validation a, test c; user 3 (2): all train.
        Assert.Equal([(1, 1), (1, 2), (1, 3), (2, 4), (3, 2), (3, 7)], data.Train.Select(s => (s.User, s.Item)).Order());
        Assert.Equal([(1, 4), (2, 1)], data.Validation.Select(s => (s.User, s.Item)).Order());
        Assert.Equal([(1, 5), (2, 3)], data.Test.Select(s => (s.User, s.Item)).Order());
        // The history runs across the parts: user 1's test sample (e) saw a, b, c, d.
        Assert.Equal([1, 2, 3, 4], data.Test.Single(s => s.User == 1).History);
    }

    [Fact]
    public void Coverage_PerUser_EveryUserSeenAndItemsAsCounted()
    {
        var (validation, test) = CtrDataset.Build(Three(), new CtrOptions { TrainFraction = 0.6, ValidationFraction = 0.2 }).Coverage();
        // Training targets: a b c d g. Validation d, a: both seen. Test e (unseen), c (seen).
        Assert.Equal(new SplitCoverage(2, 1.0, 1.0), validation);
        Assert.Equal(new SplitCoverage(2, 1.0, 0.5), test);
    }

    [Fact]
    public void Coverage_ColdStart_TestUsersUnseen()
    {
        // Ten ratings: validation starts at the 7th time (t = 7), test at the 9th (t = 9). Train: user 1 (a..e) and user 2's d.
        var data = CtrDataset.Build(Three(), new CtrOptions { Split = CtrSplit.ColdStart, TrainFraction = 0.6, ValidationFraction = 0.2 });
        var (validation, test) = data.Coverage();
        Assert.Equal(new SplitCoverage(2, 1.0, 1.0), validation); // user 2's a and c
        Assert.Equal(new SplitCoverage(2, 0.0, 0.5), test);       // user 3's b (seen) and g (unseen)
    }
}
