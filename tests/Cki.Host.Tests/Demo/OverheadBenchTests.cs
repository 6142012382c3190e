using Azure.Data.Tables;
using Cki.Host.Demo;
using Cki.Testing;

namespace Cki.Host.Tests.Demo;

/// <summary><c>cki-host bench</c>'s family at any size, and the history figures it prints.</summary>
public sealed class OverheadBenchTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Theory]
    [InlineData(1000, 1000, "495")] // 10 + 2 x 495 = 1000 tensors
    [InlineData(101, 16, "46")] // rounded up to an even count: 10 + 2 x 46 = 102
    [InlineData(26, 16, "8")] // the default: 8 extra blocks
    public void Scenario_TensorsAndShards_BlocksAndManifest(int tensors, int shards, string blocks)
    {
        var scenario = OverheadBench.Scenario(tensors, shards);

        Assert.Equal(["--models", "4", "--generated", "--blocks", blocks], scenario.FamilyArguments);
        Assert.Contains($"\nshards: {shards}\n", scenario.Manifest, StringComparison.Ordinal);
        Assert.True(scenario.Bench);
    }

    [Theory]
    [InlineData(9, 1, "--tensors")]
    [InlineData(20_001, 16, "--tensors")]
    [InlineData(2000, 1025, "--shards")]
    [InlineData(20, 30, "--shards")]
    [InlineData(20, 0, "--shards")]
    public void Scenario_OutOfRange_FailsNamingTheOption(int tensors, int shards, string option)
    {
        var error = Assert.Throws<ArgumentException>(() => OverheadBench.Scenario(tensors, shards));

        Assert.StartsWith(option + ":", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HistoryFigures_RunAndItsBatches_CountsEventsEpisodesAndReplays()
    {
        const string Hub = "BenchFigures";
        const string RunId = "fam-0123456789abcdef";
        var table = new TableClient(azurite.ConnectionString, Hub + "History");
        await table.CreateIfNotExistsAsync();
        // The run: 5 events, episodes starting at rows 0 and 3 (replaying 0 and 3 events).
        await AddAsync(table, RunId, "OrchestratorStarted", "ExecutionStarted", "TaskScheduled", "OrchestratorStarted", "TaskCompleted");
        // One batch: 3 events, one episode at row 0. Another run's rows and a batch of another run do not count.
        await AddAsync(table, $"batch@{RunId}@splice-0001", "OrchestratorStarted", "ExecutionStarted", "ExecutionCompleted");
        await AddAsync(table, "fam-ffffffffffffffff", "OrchestratorStarted", "ExecutionStarted");
        await AddAsync(table, "batch@fam-ffffffffffffffff@splice-0001", "OrchestratorStarted");

        var figures = await HistoryFigures.ReadAsync(azurite.ConnectionString, Hub, RunId, default);

        Assert.Equal((2, 8L, 5L, 3L, 3L), (figures.Instances, figures.Events, figures.LargestEvents, figures.Episodes, figures.ReplayedEvents));
        Assert.True(figures.Bytes > figures.LargestBytes && figures.LargestBytes > 0 && figures.ReplayedBytes > 0);
    }

    private static async Task AddAsync(TableClient table, string instance, params string[] events)
    {
        for (var i = 0; i < events.Length; i++)
        {
            await table.AddEntityAsync(new TableEntity(instance, i.ToString("X16", System.Globalization.CultureInfo.InvariantCulture)) { ["EventType"] = events[i] });
        }
    }
}
