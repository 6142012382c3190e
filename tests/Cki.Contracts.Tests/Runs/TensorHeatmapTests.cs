using Cki.Contracts.Runs;

namespace Cki.Contracts.Tests.Runs;

public sealed class TensorHeatmapTests
{
    [Fact]
    public void FromWinners_SmallMatrix_IsTheMapItself()
    {
        long[] winners = [0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0];

        var map = TensorHeatmap.FromWinners("w", [3, 4], winners, models: 2);

        Assert.Equal((3, 4), (map.Rows, map.Columns));
        Assert.Equal([0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0], map.Winner);
        Assert.All(map.Share, s => Assert.Equal(1.0, s));
    }

    [Fact]
    public void FromWinners_128Rows_TwoRowsACell_TiesToTheLowerModel()
    {
        // Rows 0, 1 came from models 0 and 1 (a tie, cell 0 -> model 0 at 0.5); rows 2, 3 from model 1 (cell 1 -> model 1 at 1.0).
        var winners = new long[128];
        winners[1] = 1;
        winners[2] = 1;
        winners[3] = 1;

        var map = TensorHeatmap.FromWinners("head.weight", [128, 1], winners, models: 2);

        Assert.Equal((64, 1), (map.Rows, map.Columns));
        Assert.Equal((0, 0.5), (map.Winner[0], map.Share[0]));
        Assert.Equal((1, 1.0), (map.Winner[1], map.Share[1]));
        Assert.All(map.Winner.Skip(2), w => Assert.Equal(0, w));
    }

    [Fact]
    public void FromWinners_WideTensor_ColumnsAreTheTrailingDimensionsCutInto64Bands()
    {
        // [2, 3, 50] is a 2 x 150 matrix; column c falls in band c * 64 / 150, so band 0 holds columns 0, 1 and 2.
        var winners = new long[300];
        winners[0] = 2;
        winners[1] = 2;

        var map = TensorHeatmap.FromWinners("conv", [2, 3, 50], winners, models: 3);

        Assert.Equal((2, 64), (map.Rows, map.Columns));
        Assert.Equal((2, 0.6667), (map.Winner[0], map.Share[0]));
        Assert.Equal((0, 1.0), (map.Winner[64], map.Share[64]));
        Assert.True(map.Rows * map.Columns <= TensorHeatmap.MaxCells * TensorHeatmap.MaxCells);
    }

    [Fact]
    public void FromWinners_OneWeightPerTensor_IsOneCell()
    {
        var map = TensorHeatmap.FromWinners("b", [1000, 1000], [1L], models: 2);

        Assert.Equal((1, 1, 1, 1.0), (map.Rows, map.Columns, map.Winner[0], map.Share[0]));
        Assert.Equal([1000L, 1000L], map.Shape);
    }

    [Fact]
    public void FromWinners_BadInput_NamesTheTensor()
    {
        Assert.Contains("w: model index 2", Assert.Throws<ArgumentOutOfRangeException>(() => TensorHeatmap.FromWinners("w", [2], [0L, 2L], 2)).Message,
            StringComparison.Ordinal);
        Assert.Contains("w: 3 winners for a tensor of 4 elements", Assert.Throws<ArgumentException>(() => TensorHeatmap.FromWinners("w", [2, 2], [0L, 1L, 0L], 2)).Message,
            StringComparison.Ordinal);
    }
}
