using Cki.Compute.Cli;

namespace Cki.Compute.Tests.Cli;

public sealed class ProgressReporterTests
{
    /// <summary>A merge of two 90 MB encoders (over the 256 MB threshold) crashed here on its first report.</summary>
    [Fact]
    public void Report_FirstCallOfLargeWork_DoesNotOverflow()
    {
        var reporter = new ProgressReporter("merge", 2, 300L << 20);
        var error = Record.Exception(() => reporter.Report(1, 150L << 20, "a"));
        Assert.Null(error);
    }
}
