using Cki.Host.Configuration;
using System.Diagnostics;
using System.Text;
using Cki.Contracts.Storage;
using Cki.Testing;
using Cki.Workflow.Storage;
using Microsoft.DurableTask.Client;

namespace Cki.Host.Tests.Support;

/// <summary>
/// A self-hosted workflow host on the test's Azurite, with the real Durable Task Azure Storage provider, its own
/// task hub, and jobs run by the cki-compute built with the tests (or another command a test gives).
/// </summary>
internal sealed class HostHarness : IAsyncDisposable
{
    private HostHarness(WorkflowHost host, CkiHostOptions options)
    {
        Host = host;
        Options = options;
    }

    /// <summary>The host.</summary>
    public WorkflowHost Host { get; }

    /// <summary>Its options.</summary>
    public CkiHostOptions Options { get; }

    /// <summary>The storage.</summary>
    public WorkflowStorage Storage => Host.Storage;

    /// <summary>The Durable Task client.</summary>
    public DurableTaskClient Client => Host.Client;

    /// <summary>The HTTP API's token, as the host wrote it to its token file.</summary>
    public string ApiToken => File.ReadAllText(Options.ApiTokenFile).Trim();

    /// <summary>A client of the host's HTTP API that sends the token (as the dashboard and any caller must for state-changing calls).</summary>
    public HttpClient Http()
    {
        var http = new HttpClient { BaseAddress = new Uri(Host.Url) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiToken);
        return http;
    }

    /// <summary>The cki-compute DLL built beside the tests' configuration.</summary>
    public static string ComputeDll => RepositoryPaths.ComputeDll;

    /// <summary>Options of a test host: fast probes, short leases, a task hub of its own.</summary>
    public static CkiHostOptions Settings(AzuriteFixture azurite, string taskHub) => new()
    {
        Storage = azurite.ConnectionString,
        TaskHub = taskHub,
        Urls = "http://127.0.0.1:0",
        ComputeArguments = ComputeDll,
        ProbeIntervalSeconds = 2,
        JobTimeoutSeconds = 300,
        MaxAttempts = 2,
        PollSeconds = 0.5,
        SettleSeconds = 1,
        NightlySchedule = "",
        LeaseSeconds = 6,
        LogFolder = Path.Combine(Path.GetTempPath(), "cki-host-tests", taskHub),
        ApiTokenFile = Path.Combine(Path.GetTempPath(), "cki-host-tests", taskHub, "api-token"),
        AzuriteLocation = "",
    };

    /// <summary>Starts a host on an empty checkpoints container (see <see cref="ClearCheckpointsAsync"/>).</summary>
    public static async Task<HostHarness> StartAsync(CkiHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        await ClearCheckpointsAsync(new WorkflowStorage(options.Storage));
        return new(await WorkflowHost.StartAsync(options, ["--Logging:LogLevel:Default=Warning"], CancellationToken.None), options);
    }

    /// <summary>
    /// Deletes every blob under <c>checkpoints/</c>. The workflow tests share one Azurite, and a host rightly picks up
    /// any drop that no host has handled yet: without this, a family an earlier test left behind would run in the
    /// next test's host, with that test's job command.
    /// </summary>
    public static async Task ClearCheckpointsAsync(WorkflowStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        await storage.EnsureContainersAsync(CancellationToken.None);
        foreach (var blob in await storage.ListAsync(BlobLayout.CheckpointsContainer, null, CancellationToken.None))
        {
            await storage.DeleteAsync(BlobLayout.CheckpointsContainer, blob.Name, ifMatch: null, CancellationToken.None);
        }
    }

    /// <summary>Uploads a blob.</summary>
    public static async Task PutAsync(WorkflowStorage storage, string container, string name, byte[] content) =>
        await storage.WriteSmallAsync(container, name, content, null, CancellationToken.None);

    /// <summary>
    /// Drops a family: one model per source (seeded values) and its manifest, in the given order, then (unless
    /// <paramref name="markReady"/> is false) the <c>_READY</c> marker, so that the run starts without a settle period.
    /// </summary>
    public static async Task DropAsync(WorkflowStorage storage, string family, string manifest, IReadOnlyList<string> sources,
        IReadOnlyList<(string Name, long[] Shape)>? layout = null, bool manifestFirst = false, bool markReady = true)
    {
        if (manifestFirst)
        {
            await PutAsync(storage, BlobLayout.CheckpointsContainer, BlobLayout.FamilyManifest(family), Encoding.UTF8.GetBytes(manifest));
        }

        for (var k = 0; k < sources.Count; k++)
        {
            await PutAsync(storage, BlobLayout.CheckpointsContainer, BlobLayout.CheckpointFile(family, sources[k], "v1", CheckpointFileNames.SingleFile),
                SafetensorsFile.Build(layout ?? SafetensorsFile.Layout, seed: k));
        }

        if (!manifestFirst)
        {
            await PutAsync(storage, BlobLayout.CheckpointsContainer, BlobLayout.FamilyManifest(family), Encoding.UTF8.GetBytes(manifest));
        }

        if (markReady)
        {
            // Storage times have one-second resolution: a marker in the same second as the last file is not trusted.
            await Task.Delay(TimeSpan.FromSeconds(1.1));
            await PutAsync(storage, BlobLayout.CheckpointsContainer, BlobLayout.ReadyMarker(family), []);
        }
    }

    /// <summary>Every run of a family.</summary>
    public async Task<List<OrchestrationMetadata>> RunsAsync(string family)
    {
        var runs = new List<OrchestrationMetadata>();
        await foreach (var run in Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = family + "-", FetchInputsAndOutputs = true }))
        {
            runs.Add(run);
        }

        return runs;
    }

    /// <summary>Waits until a family has a run, then until it has ended; returns it with its outputs.</summary>
    public async Task<OrchestrationMetadata> WaitForRunAsync(string family, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var runs = await RunsAsync(family);
            if (runs.Count > 0 && runs.All(r => r.IsCompleted))
            {
                return (await Client.GetInstanceAsync(runs[0].InstanceId, getInputsAndOutputs: true))!;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"No finished run of {family} within {timeout}: {string.Join("; ", (await RunsAsync(family)).Select(r => $"{r.InstanceId} {r.RuntimeStatus} {r.SerializedCustomStatus}"))}");
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < timeout, $"no {what} within {timeout}");
            await Task.Delay(100);
        }
    }

    /// <summary>Asserts a run completed, showing its status and failure when not.</summary>
    public static void AssertCompleted(OrchestrationMetadata run) =>
        Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed,
            $"{run.InstanceId} {run.RuntimeStatus}: {run.FailureDetails?.ErrorMessage} {run.SerializedCustomStatus}");

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
