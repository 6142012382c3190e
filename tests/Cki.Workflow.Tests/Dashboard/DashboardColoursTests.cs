using System.Text.RegularExpressions;
using Cki.Contracts.Runs;
using Cki.Workflow.Dashboard;

namespace Cki.Workflow.Tests.Dashboard;

public sealed partial class DashboardColoursTests
{
    [Fact]
    public void Script_ModelColours_TheSameListAsThePngPlots()
    {
        var script = DashboardAssets.File("dashboard.js")!.Value.Content;

        var list = ModelColorsLine().Match(script);
        Assert.True(list.Success, "dashboard.js declares no modelColors list");
        var colours = HexColour().Matches(list.Groups[1].Value).Select(m => m.Value).ToList();
        Assert.Equal(8, colours.Count);
        Assert.Equal(Enumerable.Range(0, colours.Count).Select(ModelColours.Of), colours);
    }

    [GeneratedRegex(@"const modelColors = \[([^\]]*)\]")]
    private static partial Regex ModelColorsLine();

    [GeneratedRegex("#[0-9a-f]{6}")]
    private static partial Regex HexColour();
}
