using Cki.Workflow.Api;
using Microsoft.DurableTask.Client;

namespace Cki.Workflow.Tests.Api;

public class RunQueriesTests
{
    [Theory]
    [InlineData("Running", OrchestrationRuntimeStatus.Running)]
    [InlineData("running", OrchestrationRuntimeStatus.Running)]
    [InlineData("COMPLETED", OrchestrationRuntimeStatus.Completed)]
    [InlineData("failed", OrchestrationRuntimeStatus.Failed)]
    [InlineData("tErMiNaTeD", OrchestrationRuntimeStatus.Terminated)]
    [InlineData("pending", OrchestrationRuntimeStatus.Pending)]
    [InlineData("suspended", OrchestrationRuntimeStatus.Suspended)]
    public void ParseStatus_NameInAnyCase_GivesTheStatus(string text, OrchestrationRuntimeStatus expected) =>
        Assert.Equal(expected, RunQueries.ParseStatus(text));

    [Theory]
    [InlineData("done")]
    [InlineData("")]
    [InlineData("runnin")]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("99")]
    [InlineData("-1")]
    [InlineData("Running,Completed")]
    public void ParseStatus_GarbageOrNumber_IsRejectedListingTheNames(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => RunQueries.ParseStatus(text));

        Assert.Equal("status", error.ParamName);
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
        foreach (var name in new[] { "Running", "Completed", "Failed", "Terminated", "Pending", "Suspended" })
        {
            Assert.Contains(name, error.Message, StringComparison.Ordinal);
        }
    }
}
