using System.Net;
using DurableTask.AzureStorage;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Core = DurableTask.Core;

namespace Cki.Host.Backend;

/// <summary>
/// The embedded Durable Task backend: the Azure Storage provider (the one Durable Functions uses in Azure) behind
/// the gRPC sidecar server, on a loopback HTTP/2 port, for the SDK worker and client to connect to.
/// </summary>
public sealed class DurableBackend : IAsyncDisposable
{
    private readonly WebApplication _sidecar;
    private readonly AzureStorageOrchestrationService _service;
    private readonly StopAwareService _stopAware;

    private DurableBackend(WebApplication sidecar, AzureStorageOrchestrationService service, StopAwareService stopAware, GrpcChannel channel)
    {
        _sidecar = sidecar;
        _service = service;
        _stopAware = stopAware;
        Channel = channel;
    }

    /// <summary>The channel the worker and client use.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>Runs' histories, read from the provider (the sidecar does not serve them).</summary>
    public Cki.Workflow.Api.IRunHistorySource History => new ProviderHistorySource(_service);

    /// <summary>Starts the backend on task hub <paramref name="taskHub"/> of the account in <paramref name="connectionString"/>.</summary>
    /// <remarks>
    /// <paramref name="visibility"/> is how long a message a crashed host had taken stays hidden before another host
    /// retries it: the provider's default of 5 minutes is for long activities; ours are short (jobs run outside).
    /// </remarks>
    public static async Task<DurableBackend> StartAsync(string connectionString, string taskHub, TimeSpan leaseInterval, TimeSpan visibility, ILoggerFactory loggers)
    {
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            TaskHubName = taskHub,
            PartitionCount = 1,
            MaxQueuePollingInterval = TimeSpan.FromSeconds(1),
            WorkerId = $"cki-host-{Environment.ProcessId}",
            ThrowExceptionOnInvalidDedupeStatus = true,
            LeaseInterval = leaseInterval,
            LeaseRenewInterval = leaseInterval / 3,
            LeaseAcquireInterval = leaseInterval / 3,
            ControlQueueVisibilityTimeout = visibility,
            WorkItemQueueVisibilityTimeout = visibility,
            LoggerFactory = loggers,
        };
        var service = new AzureStorageOrchestrationService(settings);
        await service.CreateIfNotExistsAsync().ConfigureAwait(false);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var stopAware = StopAwareService.Wrap(service);
        builder.Services.AddSingleton((Core.IOrchestrationService)(object)stopAware);
        builder.Services.AddSingleton<Core.IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var sidecar = builder.Build();
        sidecar.MapGrpcService<TaskHubGrpcServer>();
        await sidecar.StartAsync().ConfigureAwait(false);
        var address = sidecar.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DurableBackend(sidecar, service, stopAware, GrpcChannel.ForAddress(address));
    }

    /// <summary>Stops the sidecar and waits until the provider has released its lease.</summary>
    public async ValueTask DisposeAsync()
    {
        await Channel.ShutdownAsync().ConfigureAwait(false);
        Channel.Dispose();
        await _sidecar.StopAsync().ConfigureAwait(false);
        if (_stopAware.Started.IsCompleted)
        {
            // Bounded: with orchestrations in flight the provider may wait on work items the stopped worker will never
            // finish; then the lease simply expires and the next host takes over after LeaseSeconds.
            await Task.WhenAny(_stopAware.Stopped, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
        }

        await _sidecar.DisposeAsync().ConfigureAwait(false);
        _service.Dispose();
    }
}
