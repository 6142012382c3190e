using System.Net.Sockets;
using System.Net;
using Azure.Storage.Blobs;
using Cki.Testing;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Messages;
using Cki.Workflow.Orchestration;
using Cki.Workflow.Storage;
using Cki.Workflow.Triggers;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace Cki.Workflow.Tests.Orchestration.InProcess;

/// <summary>
/// The real integration orchestrator and activities on the Durable Task SDK's in-process test host (in-memory
/// backend), with Azurite for the blobs the activities read and write and a <see cref="ScriptedJobDispatcher"/> for
/// jobs. The orchestrators run under a <see cref="RecordingOrchestrator"/>, so each episode's decisions are kept.
/// </summary>
public sealed class InProcessWorkflow : IAsyncDisposable
{
    private readonly DurableTaskTestHost _host;

    private InProcessWorkflow(DurableTaskTestHost host, WorkflowStorage storage, ScriptedJobDispatcher dispatcher, DecisionLog decisions)
    {
        _host = host;
        Storage = storage;
        Dispatcher = dispatcher;
        Decisions = decisions;
    }

    /// <summary>Blob storage as the activities see it.</summary>
    public WorkflowStorage Storage { get; }

    /// <summary>The jobs' test double.</summary>
    public ScriptedJobDispatcher Dispatcher { get; }

    /// <summary>The orchestrator's decisions, per episode.</summary>
    public DecisionLog Decisions { get; }

    /// <summary>The Durable Task client of the test host.</summary>
    public DurableTaskClient Client => _host.Client;

    /// <summary>Starts the host; <paramref name="blobOptions"/> may add pipeline policies (fault injection) to the activities' storage.</summary>
    public static async Task<InProcessWorkflow> StartAsync(AzuriteFixture azurite, BlobClientOptions? blobOptions = null)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        var storage = new WorkflowStorage(new BlobServiceClient(azurite.ConnectionString, blobOptions ?? new BlobClientOptions()));
        await new WorkflowStorage(azurite.ConnectionString).EnsureContainersAsync(CancellationToken.None);
        var dispatcher = new ScriptedJobDispatcher(new WorkflowStorage(azurite.ConnectionString));
        var decisions = new DecisionLog();
        var host = await DurableTaskTestHost.StartAsync(
            tasks =>
            {
                tasks.AddOrchestrator(nameof(IntegrationOrchestrator), () => new RecordingOrchestrator(new IntegrationOrchestrator(), decisions));
                tasks.AddOrchestrator(nameof(JobBatchOrchestrator), () => new RecordingOrchestrator(new JobBatchOrchestrator(), decisions));
                tasks.AddCkiActivities();
            },
            new DurableTaskTestHostOptions
            {
                Port = FreePort(),
                ConfigureServices = services =>
                {
                    services.AddLogging();
                    services.AddSingleton(storage);
                    services.AddSingleton<IJobDispatcher>(dispatcher);
                    services.AddSingleton<JobResultEvents>();
                },
            });
        var events = host.Services.GetRequiredService<JobResultEvents>();
        dispatcher.RaiseEvent = async (name, cancellationToken) => await events.RaiseAsync(name, cancellationToken).ConfigureAwait(false);
        return new InProcessWorkflow(host, storage, dispatcher, decisions);
    }

    /// <summary>Starts a run of <paramref name="request"/> (its run id is the instance id).</summary>
    public Task StartAsync(RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Client.ScheduleNewOrchestrationInstanceAsync(nameof(IntegrationOrchestrator), request, new StartOrchestrationOptions(request.RunId));
    }

    /// <summary>Waits (at most 60 s, for a loaded machine) until the run has ended, and returns its final state with its output.</summary>
    public async Task<OrchestrationMetadata> EndedAsync(string runId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await Client.WaitForInstanceCompletionAsync(runId, getInputsAndOutputs: true, timeout.Token);
    }

    /// <summary>Waits (at most 30 s) until <paramref name="condition"/> holds for the run's state.</summary>
    public async Task<OrchestrationMetadata> WaitUntilAsync(string runId, Func<OrchestrationMetadata, bool> condition, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await Client.GetInstanceAsync(runId, getInputsAndOutputs: true) is { } state && condition(state))
            {
                return state;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{runId}: not {what} within 30 s");
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
