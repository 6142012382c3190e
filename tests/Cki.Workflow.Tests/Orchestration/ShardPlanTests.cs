using Cki.Contracts.Checkpoints;
using Cki.Workflow.Activities;

namespace Cki.Workflow.Tests.Orchestration;

public class ShardPlanTests
{
    /// <summary>Tensors t0, t1, ... of U8 with the given byte sizes.</summary>
    private static List<TensorSpec> Layout(params long[] bytes) =>
        bytes.Select((b, i) => new TensorSpec($"t{i}", TensorDtype.U8, [b])).ToList();

    private static List<int> Sizes(IReadOnlyList<IReadOnlyList<string>> groups) => groups.Select(g => g.Count).ToList();

    private static List<string> Names(IReadOnlyList<IReadOnlyList<string>> groups) => groups.Select(g => string.Join(",", g)).ToList();

    [Fact]
    public void Split_FourEqualTensorsIntoTwo_GivesTwoAndTwo() =>
        Assert.Equal(["t0,t1", "t2,t3"], Names(ShardPlan.Split(Layout(100, 100, 100, 100), 2)));

    [Fact]
    public void Split_SixEqualTensorsIntoThree_GivesTwoEach() =>
        Assert.Equal([2, 2, 2], Sizes(ShardPlan.Split(Layout(100, 100, 100, 100, 100, 100), 3)));

    [Fact]
    public void Split_F32Tensor_CountsBytesNotElements()
    {
        // 100 F32 elements are 400 bytes: the first tensor alone is half of 800 bytes.
        var layout = new List<TensorSpec>
        {
            new("big", TensorDtype.F32, [100]),
            new("s1", TensorDtype.U8, [100]),
            new("s2", TensorDtype.U8, [100]),
            new("s3", TensorDtype.U8, [200]),
        };

        Assert.Equal(["big", "s1,s2,s3"], Names(ShardPlan.Split(layout, 2)));
    }

    [Fact]
    public void Split_ThreeHundredThenFiveHundredsIntoTwo_GivesFourHundredBytesEach() =>
        // 800 bytes: 300 + 100 = 400 closes the first group, the other four make the other 400.
        Assert.Equal([2, 4], Sizes(ShardPlan.Split(Layout(300, 100, 100, 100, 100, 100), 2)));

    [Fact]
    public void Split_OneBigFirstThenThreeSmallIntoTwo_PutsTheBigOneAlone() =>
        // 1030 bytes: the big tensor alone passes half (515); the three small ones share the other group.
        Assert.Equal([1, 3], Sizes(ShardPlan.Split(Layout(1000, 10, 10, 10), 2)));

    [Fact]
    public void Split_ThreeSmallThenOneBigIntoTwo_PutsTheBigOneAlone() =>
        // 30 bytes never reach half of 1030; the last tensor must still get a group of its own.
        Assert.Equal([3, 1], Sizes(ShardPlan.Split(Layout(10, 10, 10, 1000), 2)));

    [Fact]
    public void Split_OneBigThenThreeSmallIntoThree_GivesTheSmallOnesTheOtherGroups() =>
        // Thresholds 1030/3 and 2060/3 (343.3, 686.7): the big one passes both at once, yet it closes one group only.
        Assert.Equal([1, 1, 2], Sizes(ShardPlan.Split(Layout(1000, 10, 10, 10), 3)));

    [Theory]
    [InlineData(3, 3)]
    [InlineData(10, 3)]
    [InlineData(1024, 3)]
    public void Split_MoreShardsThanTensors_GivesOneTensorPerGroup(int shards, int tensors)
    {
        var groups = ShardPlan.Split(Layout(Enumerable.Repeat(100L, tensors).ToArray()), shards);

        Assert.Equal(["t0", "t1", "t2"], Names(groups));
    }

    [Fact]
    public void Split_OneShard_GivesEveryTensorInOneGroup() =>
        Assert.Equal(["t0,t1,t2"], Names(ShardPlan.Split(Layout(5, 500, 50), 1)));

    [Fact]
    public void Split_EmptyTensors_CountAsOneByteEach() =>
        // Four zero-byte tensors weigh 1 byte each: two and two, not all in the first group.
        Assert.Equal([2, 2], Sizes(ShardPlan.Split(Layout(0, 0, 0, 0), 2)));

    [Fact]
    public void Split_NoTensors_GivesNoGroups() => Assert.Empty(ShardPlan.Split([], 4));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Split_FewerThanOneShard_Throws(int shards)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ShardPlan.Split(Layout(100, 100), shards));
        Assert.Equal("shards", error.ParamName);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(40)]
    public void Split_RandomLayouts_KeepEveryTensorOnceInOrderInAboutEqualGroups(int seed)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 50; trial++)
        {
            var bytes = Enumerable.Range(0, random.Next(1, 40)).Select(_ => (long)random.Next(1, random.Next(2, 5000))).ToArray();
            var layout = Layout(bytes);
            var shards = random.Next(1, 50);

            var groups = ShardPlan.Split(layout, shards);

            var count = Math.Min(shards, layout.Count);
            Assert.Equal(count, groups.Count);
            Assert.All(groups, g => Assert.NotEmpty(g));
            Assert.Equal(layout.Select(t => t.Name), groups.SelectMany(g => g));
            // Each group closes at the first tensor that reaches its share, so it overshoots by less than one tensor.
            var size = layout.ToDictionary(t => t.Name, t => t.ByteCount);
            var (total, largest) = (bytes.Sum(), bytes.Max());
            Assert.All(groups, g => Assert.True(g.Sum(n => size[n]) * count <= total + largest * count,
                $"group of {g.Sum(n => size[n])} bytes is over {total}/{count} + {largest}"));
        }
    }
}
