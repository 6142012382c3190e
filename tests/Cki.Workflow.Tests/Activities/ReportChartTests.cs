using System.Globalization;
using System.Xml.Linq;
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
    public void Svg_OneBarPerRow_LengthsOnTheZoomedAxis()
    {
        var svg = ReportChart.Svg(Summary(("integrated", 1, 0.62), ("input a", 1, 0.60), ("output ensemble", 2, 0.64)))!;

        var rects = XDocument.Parse(svg).Descendants().Where(e => e.Name.LocalName == "rect").ToList();
        Assert.Equal(3, rects.Count);
        // Plot width 720 - 260 - 60 = 400 on the axis [0.59, 0.65]: 0.62 -> 200, 0.60 -> 66.7, 0.64 -> 333.3.
        var widths = rects.Select(r => double.Parse(r.Attribute("width")!.Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal([200.0, 66.7, 333.3], widths);
        Assert.Equal("#175cd3", rects[0].Attribute("fill")!.Value);
        Assert.Equal("#98a2b3", rects[2].Attribute("fill")!.Value);
        Assert.Contains("output ensemble (2x)", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Svg_NoRowWithTheMetric_Null() =>
        Assert.Null(ReportChart.Svg(new RunSummary { RunId = "r", Family = "f", Outcome = "completed" }));

    [Fact]
    public void Svg_TargetWithMarkup_Escaped()
    {
        var svg = ReportChart.Svg(Summary(("input <b>&", 1, 0.6), ("integrated", 1, 0.7)))!;
        Assert.Contains("input &lt;b&gt;&amp;", svg, StringComparison.Ordinal);
        _ = XDocument.Parse(svg);
    }
}
