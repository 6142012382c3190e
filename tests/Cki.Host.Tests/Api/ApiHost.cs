using System.Diagnostics;
using Cki.Host.Tests.Support;
using Cki.Testing;
using Cki.Workflow.Orchestration;
using Microsoft.DurableTask;

namespace Cki.Host.Tests.Api;

/// <summary>
/// A host for the API tests: no blob triggers (runs start only when a test asks), and started for good before the
/// test goes on. A host stopped while its storage provider is still starting crashes the test process (the gRPC
/// sidecar stops the provider from a callback nobody awaits, and the provider's StopAsync fails before its
/// StartAsync has finished), and these tests would otherwise stop their host within a second.
/// </summary>
internal static class ApiHost
{
    /// <summary>Starts a host and waits until its worker has finished a run (one without input, which fails at once).</summary>
    public static async Task<HostHarness> StartAsync(AzuriteFixture azurite, string taskHub)
    {
        var harness = await HostHarness.StartAsync(HostHarness.Settings(azurite, taskHub) with { BlobTriggers = false });
        var probe = await harness.Client.ScheduleNewOrchestrationInstanceAsync(nameof(IntegrationOrchestrator), null,
            new StartOrchestrationOptions($"probe-{Guid.NewGuid():N}"));
        var clock = Stopwatch.StartNew();
        while ((await harness.Client.GetInstanceAsync(probe))?.IsCompleted != true)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(1))
            {
                await harness.DisposeAsync();
                throw new TimeoutException($"the worker of {taskHub} did not finish its probe run within a minute");
            }

            await Task.Delay(100);
        }

        return harness;
    }
}
