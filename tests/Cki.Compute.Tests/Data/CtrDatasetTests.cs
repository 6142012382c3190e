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
    public void Build_SplitsAreConsecutiveTimePeriods()
    {
        // Six ratings at t = 1, 2, 3, 4, 5, 10: train = first 3 (t < 4), validation = t in [4, 5), test = t >= 5.
        var data = CtrDataset.Build(Tiny(), new CtrOptions { TrainFraction = 0.5, ValidationFraction = 1.0 / 6 });
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
}
