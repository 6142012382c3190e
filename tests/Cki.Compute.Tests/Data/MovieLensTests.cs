using Cki.Compute.Data.MovieLens;
using Cki.Testing;

namespace Cki.Compute.Tests.Data;

public sealed class MovieLensTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void SaveThenLoad_RoundTripsTitlesWithCommasAndQuotes()
    {
        var data = new MovieLensData(
            [new MovieRating(1, 10, 4.5f, 964982703), new MovieRating(2, 20, 0.5f, 964982224)],
            new Dictionary<int, Movie>
            {
                [10] = new(10, "Shawshank Redemption, The (1994)", ["Crime", "Drama"]),
                [20] = new(20, "\"Great\" Movie (2001)", []),
            });
        data.Save(_scratch.Path);
        var loaded = MovieLensData.Load(_scratch.Path);
        Assert.Equal(data.Ratings, loaded.Ratings);
        Assert.Equal("Shawshank Redemption, The (1994)", loaded.Movies[10].Title);
        Assert.Equal(["Crime", "Drama"], loaded.Movies[10].Genres);
        Assert.Equal("\"Great\" Movie (2001)", loaded.Movies[20].Title);
        Assert.Empty(loaded.Movies[20].Genres);
    }

    [Fact]
    public void Load_BadRating_NamesFileLineAndField()
    {
        File.WriteAllText(_scratch.File("movies.csv"), "movieId,title,genres\n1,Toy Story (1995),Animation\n");
        File.WriteAllText(_scratch.File("ratings.csv"), "userId,movieId,rating,timestamp\n1,1,4.0,100\n1,1,seven,100\n");
        var error = Assert.Throws<FormatException>(() => MovieLensData.Load(_scratch.Path));
        Assert.Contains("ratings.csv:3: rating 'seven'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrongHeader_SaysWhatWasExpected()
    {
        File.WriteAllText(_scratch.File("movies.csv"), "id,name\n");
        var error = Assert.Throws<FormatException>(() => MovieLensData.Load(_scratch.Path));
        Assert.Contains("movies.csv:1: expected the header 'movieId,title,genres'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The real data from the Debian package (CI runs apt-get update first); the counts are the data set's published ones.</summary>
    [Fact]
    public void Fetch_FromDebianPackage_GivesMlLatestSmall()
    {
        var data = MovieLensFetcher.Fetch(_scratch.File("cache"), force: true);
        Assert.Equal(100_004, data.Ratings.Count);
        Assert.Equal(671, data.Ratings.Select(r => r.UserId).Distinct().Count());
        Assert.Equal(9_066, data.Ratings.Select(r => r.MovieId).Distinct().Count());
        Assert.All(data.Ratings, r => Assert.InRange(r.Rating, 0.5f, 5f));
        var again = MovieLensData.Load(_scratch.File("cache"));
        Assert.Equal(data.Ratings.Count, again.Ratings.Count);
    }
}
