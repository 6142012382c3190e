using Cki.Contracts.Runs;
using Cki.Workflow.Activities;

namespace Cki.Workflow.Tests.Activities;

public class ReportChartTests
{
    private static RunSummary Summary(params (string Target, int Cost, double Auc)[] rows) => new()
    {
        RunId = "fam-1", Family = "fam", Outcome = "completed",
        Evaluation = rows.Select(r => new EvaluationRow(r.Target, r.Cost, new Dictionary<string, double> { ["test.auc"] = r.Auc })).ToList(),
    };

    [Fact]
    public void Axis_ZoomsToValuesWithAQuarterMargin()
    {
        // min 0.60, max 0.64: margin 0.25 x 0.04 = 0.01.
        var (low, high) = ReportChart.Axis(0.60, 0.64);
        Assert.Equal(0.59, low, 12);
        Assert.Equal(0.65, high, 12);
        // Equal values still get an axis 0.01 wide, and a rate never goes below 0.
        Assert.Equal((0.495, 0.505), ReportChart.Axis(0.5, 0.5));
        Assert.Equal(0.0, ReportChart.Axis(0.001, 0.002).Low);
    }

    [Fact]
    public void Png_OneBarPerRow_LengthsOnTheZoomedAxis()
    {
        var png = new PngPixels(ReportChart.Png(Summary(("integrated", 1, 0.62), ("input a", 1, 0.60), ("output ensemble", 2, 0.64)))!);

        Assert.Equal(ReportChart.Width, png.Width);
        Assert.Equal(ReportChart.Height(3), png.Height);
        // Bars of one thickness from the axis' start 0.59: lengths 0.03, 0.01 and 0.05, so their areas are 3 : 1 : 5.
        var integrated = png.Count(ReportChart.IntegratedColour);
        var input = png.Count(ReportChart.SingleCostColour);
        var ensemble = png.Count(ReportChart.HigherCostColour);
        Assert.True(input > 200, $"the input's bar: {input} pixels");
        Assert.InRange(integrated / (double)input, 2.7, 3.3);
        Assert.InRange(ensemble / (double)input, 4.5, 5.5);
    }

    [Fact]
    public void Png_WithoutAnIntegratedRow_NoBarInItsColour()
    {
        var png = new PngPixels(ReportChart.Png(Summary(("input a", 1, 0.60), ("input b", 1, 0.61)))!);

        Assert.Equal(0, png.Count(ReportChart.IntegratedColour));
        Assert.True(png.Count(ReportChart.SingleCostColour) > 200);
    }

    [Fact]
    public void Png_NoRowWithTheMetric_Null() =>
        Assert.Null(ReportChart.Png(new RunSummary { RunId = "r", Family = "f", Outcome = "completed" }));
}
