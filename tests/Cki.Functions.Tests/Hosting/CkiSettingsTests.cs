using Cki.Functions.Hosting;
using Cki.Workflow.Orchestration;
using Microsoft.Extensions.Configuration;

namespace Cki.Functions.Tests.Hosting;

public class CkiSettingsTests
{
    [Fact]
    public void RunSettings_NothingSet_TakesTheWorkflowDefaults() =>
        Assert.Equal(new RunSettings(), CkiSettings.RunSettings(Configuration()));

    [Fact]
    public void RunSettings_AllSet_ReadsThemInvariantly() =>
        Assert.Equal(new RunSettings(900.5, 15, 5), CkiSettings.RunSettings(Configuration(
            (CkiSettings.JobTimeoutSeconds, "900.5"), (CkiSettings.ProbeIntervalSeconds, "15"), (CkiSettings.MaxAttempts, "5"))));

    [Theory]
    [InlineData(CkiSettings.JobTimeoutSeconds, "an hour")]
    [InlineData(CkiSettings.ProbeIntervalSeconds, "0")]
    [InlineData(CkiSettings.MaxAttempts, "0")]
    public void RunSettings_BadValue_FailsNamingTheSetting(string key, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => CkiSettings.RunSettings(Configuration((key, value))));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LocalDispatcher_CommandAndArguments_SplitsArgumentsOnSemicolons()
    {
        var options = CkiSettings.LocalDispatcher(Configuration(
            (CkiSettings.ComputeCommand, "dotnet"), (CkiSettings.ComputeArguments, "/opt/cki/cki-compute.dll; --verbose"), (CkiSettings.ComputeMaxJobs, "3")));

        Assert.Equal("dotnet", options.Command);
        Assert.Equal(["/opt/cki/cki-compute.dll", "--verbose"], options.Arguments);
        Assert.Equal(3, options.MaxConcurrentJobs);
        Assert.Null(options.LogFolder);
    }

    [Fact]
    public void LocalDispatcher_NoCommand_FailsNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CkiSettings.LocalDispatcher(Configuration()));
        Assert.Contains(CkiSettings.ComputeCommand, error.Message, StringComparison.Ordinal);
    }

    internal static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
