using Cki.Contracts.Storage;

namespace Cki.Contracts.Tests.Storage;

/// <summary>Version folders order by name with numbers compared as numbers: v10 after v9.</summary>
public sealed class VersionOrderTests
{
    [Theory]
    [InlineData("v2", "v10")]
    [InlineData("v9", "v10")]
    [InlineData("v1", "v1a")]
    [InlineData("2026-11-30", "2026-12-02")]
    [InlineData("run-7-of-20", "run-12-of-20")]
    [InlineData("a", "b")]
    [InlineData("v99999999999999999999", "v100000000000000000000")] // past 64 bits: digit strings, not parsed numbers
    public void Compare_EarlierThenLater_EarlierSortsFirst(string earlier, string later)
    {
        Assert.True(VersionOrder.Instance.Compare(earlier, later) < 0, $"{earlier} should come before {later}");
        Assert.True(VersionOrder.Instance.Compare(later, earlier) > 0, $"{later} should come after {earlier}");
    }

    [Fact]
    public void Compare_LeadingZeros_SameNumberTiesBrokenOrdinallySoTheOrderIsTotal()
    {
        Assert.Equal(0, VersionOrder.Instance.Compare("v007", "v007"));
        Assert.NotEqual(0, VersionOrder.Instance.Compare("v07", "v7"));
        Assert.True(VersionOrder.Instance.Compare("v07", "v8") < 0);
    }

    [Fact]
    public void Order_MixedFolders_SortsAsAPersonReadsThem()
    {
        string[] folders = ["v10", "v2", "v1", "v11", "v9"];

        var sorted = folders.Order(VersionOrder.Instance).ToArray();

        Assert.Equal(["v1", "v2", "v9", "v10", "v11"], sorted);
    }
}
