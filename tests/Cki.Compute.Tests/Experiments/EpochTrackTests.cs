using Cki.Compute.Experiments;

namespace Cki.Compute.Tests.Experiments;

public class EpochTrackTests
{
    [Fact]
    public void Best_PicksOnTheNamedSplitAndTiesGoToTheEarlierEpoch()
    {
        var track = new EpochTrack();
        track.Record(0.60, new Dictionary<string, double> { ["AUC"] = 0.55 });
        track.Record(0.62, new Dictionary<string, double> { ["AUC"] = 0.58 });
        track.Record(0.62, new Dictionary<string, double> { ["AUC"] = 0.61 });
        track.Record(0.61, new Dictionary<string, double> { ["AUC"] = 0.61 });
        Assert.Equal(2, track.Best(Selection.Validation));
        Assert.Equal(3, track.Best(Selection.Test));
        Assert.Equal(0.58, track.TestAt(2)["AUC"]);
    }
}
