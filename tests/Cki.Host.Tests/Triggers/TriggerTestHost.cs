using System.Diagnostics;
using Cki.Contracts.Storage;
using Cki.Host.Tests.Support;
using Cki.Testing;
using Microsoft.DurableTask.Client;

namespace Cki.Host.Tests.Triggers;

/// <summary>Helpers of the trigger tests: a host whose jobs do nothing (these tests look at which runs start, not at their jobs).</summary>
internal static class TriggerTestHost
{
    /// <summary>A host with jobs that exit at once (runs start; what they compute is not the point here).</summary>
    public static Task<HostHarness> StartAsync(AzuriteFixture azurite, string taskHub, double settleSeconds) =>
        HostHarness.StartAsync(HostHarness.Settings(azurite, taskHub) with { ComputeCommand = "true", MaxAttempts = 1, SettleSeconds = settleSeconds });

    /// <summary>Uploads <c>checkpoints/{name}</c>.</summary>
    public static Task PutAsync(HostHarness harness, string name, byte[] content) =>
        HostHarness.PutAsync(harness.Storage, BlobLayout.CheckpointsContainer, name, content);

    /// <summary>A failed run's error: the orchestration's, else <c>runs/{runId}/summary.json</c>'s (which holds the same reason).</summary>
    public static async Task<string> ErrorAsync(HostHarness harness, OrchestrationMetadata run)
    {
        if (run.FailureDetails?.ErrorMessage is { Length: > 0 } error)
        {
            return error;
        }

        var summary = await harness.Storage.ReadSmallAsync(BlobLayout.RunsContainer, BlobLayout.RunSummary(run.InstanceId), 1 << 20, default);
        return summary is null ? "" : System.Text.Encoding.UTF8.GetString(summary.Value.Content);
    }

    /// <summary>Waits until a family has at least one run (started, not necessarily ended).</summary>
    public static async Task<List<OrchestrationMetadata>> WaitForRunsAsync(HostHarness harness, string family, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var runs = await harness.RunsAsync(family);
            if (runs.Count > 0)
            {
                return runs;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"No run of {family} within {timeout}.");
    }
}
