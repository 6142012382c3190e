using Cki.Contracts.Jobs;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Messages;
using Cki.Workflow.Settings;
using Microsoft.Extensions.Configuration;

namespace Cki.Workflow.Tests.Settings;

/// <summary>The one settings record both hosts read: defaults, names, values of the wrong kind or range.</summary>
public class WorkflowSettingsTests
{
    [Fact]
    public void Read_NothingSet_TakesTheDefaultsOfTheRecord()
    {
        var settings = SettingsReader.Read<WorkflowSettings>(Configuration());

        Assert.Equal(new RunSettings(3600, 10, 3, JobsPerBatch: 100, GroupedStarts: true), settings.RunSettings);
        Assert.Equal((5.0, "0 0 2 * * *", DispatcherKind.Local), (settings.SettleSeconds, settings.NightlySchedule, settings.Dispatcher));
        Assert.False(settings.UsesKubernetes);
        Assert.Equal((LocalJobMode.Workers, 300.0), (settings.LocalDispatcher(new Dictionary<string, string>()).Jobs, settings.WorkerIdleSeconds));
    }

    [Theory]
    [InlineData("processes", LocalJobMode.Processes)]
    [InlineData(" Workers ", LocalJobMode.Workers)]
    public void LocalDispatcher_LocalJobsSetting_ChoosesHowJobsRun(string value, LocalJobMode expected)
    {
        var settings = SettingsReader.Read<WorkflowSettings>(Configuration(("Cki:LocalJobs", value), ("Cki:WorkerIdleSeconds", "30")));

        var options = settings.LocalDispatcher(new Dictionary<string, string>());

        Assert.Equal((expected, 30.0), (options.Jobs, options.WorkerIdleSeconds));
    }

    [Fact]
    public void Read_EnvironmentStyleNames_BindCaseInsensitivelyAndInvariantly()
    {
        var settings = SettingsReader.Read<WorkflowSettings>(Configuration(
            ("Cki:JobTimeoutSeconds", "900.5"), ("Cki:probeintervalseconds", "15"), ("Cki:MaxAttempts", "5"), ("Cki:ComputeArguments", "/opt/cki-compute.dll; --verbose"),
            ("Cki:jobsperbatch", "7")));

        Assert.Equal(new RunSettings(900.5, 15, 5, JobsPerBatch: 7, GroupedStarts: true), settings.RunSettings);
        Assert.Equal(["/opt/cki-compute.dll", "--verbose"], settings.ComputeArgumentList);
    }

    [Theory]
    [InlineData("JobTimeoutSeconds", "0")]
    [InlineData("ProbeIntervalSeconds", "-1")]
    [InlineData("MaxAttempts", "0")]
    [InlineData("SettleSeconds", "-2")]
    [InlineData("MaxConcurrentJobs", "0")]
    [InlineData("JobsPerBatch", "0")]
    [InlineData("JobsPerBatch", "1001")]
    [InlineData("Dispatcher", "docker")]
    [InlineData("LocalJobs", "threads")]
    [InlineData("LocalJobs", "1")]
    [InlineData("WorkerIdleSeconds", "0")]
    [InlineData("NightlySchedule", "0 2 * * *")]
    [InlineData("NightlySchedule", "0 0 25 * * *")]
    [InlineData("JobTimeoutSeconds", "an hour")]
    public void Read_BadValue_FailsNamingTheSetting(string name, string value)
    {
        var error = Assert.Throws<SettingsException>(() => SettingsReader.Read<WorkflowSettings>(Configuration(($"Cki:{name}", value))));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownName_FailsNamingItAndListingTheSettings()
    {
        var error = Assert.Throws<SettingsException>(() => SettingsReader.Read<WorkflowSettings>(Configuration(("Cki:ProbeIntervalSecs", "5"))));

        Assert.Contains("'Cki:ProbeIntervalSecs'", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(WorkflowSettings.ProbeIntervalSeconds), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Storage_ServiceUriSection_HasNoConnectionStringAndGivesJobsNone()
    {
        var configuration = Configuration(("CkiStorage:blobServiceUri", "https://acct.blob.core.windows.net/"), ("CkiStorage:queueServiceUri", "https://acct.queue.core.windows.net/"));

        Assert.Null(StorageSetting.ConnectionString(configuration));
        Assert.Equal(new Uri("https://acct.blob.core.windows.net/"), StorageSetting.ServiceUri(configuration));
        Assert.Empty(JobDispatchers.JobEnvironment(StorageSetting.ConnectionString(configuration)));
    }

    [Fact]
    public void Storage_ConnectionStringOrNothing_IsPassedToJobsUnderTheComputeVariable()
    {
        var given = StorageSetting.ConnectionString(Configuration(("CkiStorage", "DefaultEndpointsProtocol=http;AccountName=x")));
        var unset = StorageSetting.ConnectionString(Configuration());

        Assert.Equal("DefaultEndpointsProtocol=http;AccountName=x", JobDispatchers.JobEnvironment(given)[ComputeVariables.StorageConnectionString]);
        Assert.Equal(StorageSetting.DevelopmentStorage, unset);
    }

    [Fact]
    public void ServiceUri_NotAUrl_FailsNamingTheKey()
    {
        var error = Assert.Throws<SettingsException>(() => StorageSetting.ServiceUri(Configuration(("CkiStorage:blobServiceUri", "acct"))));

        Assert.Contains("CkiStorage:blobServiceUri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NightlyCron_SixFields_GivesTheNextOccurrenceAtTwoUtc()
    {
        var next = NightlyCron.Parse(NightlyCron.Default, "x").GetNextOccurrence(new DateTime(2026, 12, 2, 13, 0, 0, DateTimeKind.Utc));

        Assert.Equal(new DateTime(2026, 12, 3, 2, 0, 0, DateTimeKind.Utc), next);
    }

    internal static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
