using Cki.Host.Api;
using Cki.Host.Backend;
using Cki.Host.Triggers;
using Cki.Workflow.Activities;
using Cki.Workflow.Api;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Orchestration;
using Cki.Workflow.Runs;
using Cki.Workflow.Storage;
using Cki.Workflow.Triggers;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;

namespace Cki.Host;

/// <summary>
/// The self-hosted workflow host: Azurite when needed, the Durable Task backend, the SDK worker running the
/// orchestration and activities, the client, the blob poller, the nightly schedule and the HTTP API.
/// </summary>
public sealed class WorkflowHost : IAsyncDisposable
{
    private readonly AzuriteLauncher _azurite;
    private readonly DurableBackend _backend;

    private WorkflowHost(AzuriteLauncher azurite, DurableBackend backend, WebApplication app)
    {
        _azurite = azurite;
        _backend = backend;
        App = app;
    }

    /// <summary>The web application (API, worker, triggers).</summary>
    public WebApplication App { get; }

    /// <summary>The Durable Task client.</summary>
    public DurableTaskClient Client => App.Services.GetRequiredService<DurableTaskClient>();

    /// <summary>The storage.</summary>
    public WorkflowStorage Storage => App.Services.GetRequiredService<WorkflowStorage>();

    /// <summary>Where the API listens.</summary>
    public string Url => App.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();

    /// <summary>Starts everything; <paramref name="args"/> are the command line's configuration overrides.</summary>
    public static async Task<WorkflowHost> StartAsync(CkiHostOptions options, string[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = RepositoryRoot.Find();
        var azurite = await AzuriteLauncher.EnsureAsync(options.Storage, root,
            string.IsNullOrEmpty(options.AzuriteLocation) ? null : Path.GetFullPath(options.AzuriteLocation), cancellationToken).ConfigureAwait(false);
        DurableBackend? backend = null;
        try
        {
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
            backend = await DurableBackend.StartAsync(options.Storage, options.TaskHub, TimeSpan.FromSeconds(options.LeaseSeconds),
                TimeSpan.FromSeconds(options.QueueVisibilitySeconds), loggers).ConfigureAwait(false);
            var storage = new WorkflowStorage(options.Storage);
            await storage.EnsureContainersAsync(cancellationToken).ConfigureAwait(false);
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.UseUrls(options.Urls);
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
            var signal = new PollSignal();
            builder.Services.AddSingleton(signal);
            var dll = options.ComputeDll ?? RepositoryRoot.ComputeDll(root);
            var dispatcher = new LocalDispatcherOptions
            {
                Command = options.ComputeCommand,
                Arguments = options.ComputeCommand == "dotnet"
                    ? [dll ?? throw new InvalidOperationException("No cki-compute.dll found: build it ('dotnet build src/Cki.Compute -c Release') or set Cki:ComputeDll.")]
                    : dll is null ? [] : [dll],
                MaxConcurrentJobs = options.MaxConcurrentJobs,
                Environment = new Dictionary<string, string> { ["CKI_STORAGE_CONNECTION_STRING"] = options.Storage },
                LogFolder = Path.GetFullPath(options.LogFolder),
                JobExited = signal.Wake,
            };
            builder.Services.AddSingleton(options);
            builder.Services.AddSingleton(options.RunSettings);
            builder.Services.AddSingleton(storage);
            builder.Services.AddSingleton(dispatcher);
            builder.Services.AddSingleton<IJobDispatcher, LocalProcessDispatcher>();
            builder.Services.AddSingleton<InputResolver>();
            builder.Services.AddSingleton<RunStarter>();
            builder.Services.AddSingleton(backend.History);
            builder.Services.AddSingleton<RunQueries>();
            builder.Services.AddSingleton<JobResultEvents>();
            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.AddDurableTaskWorker(b =>
            {
                b.UseGrpc(backend.Channel);
                b.AddTasks(r =>
                {
                    r.AddOrchestrator<IntegrationOrchestrator>();
                    r.AddActivity<ValidateRunActivity>();
                    r.AddActivity<StartJobActivity>();
                    r.AddActivity<ProbeJobActivity>();
                    r.AddActivity<AssembleActivity>();
                    r.AddActivity<WriteReportActivity>();
                    r.AddActivity<PublishActivity>();
                    r.AddOrchestrator<SettleOrchestrator>();
                    r.AddActivity<SettleActivity>();
                });
            });
            builder.Services.AddDurableTaskClient(b => b.UseGrpc(backend.Channel));
            if (options.BlobTriggers)
            {
                builder.Services.AddHostedService<BlobPoller>();
            }

            builder.Services.AddHostedService<NightlyScheduler>();
            var app = builder.Build();
            RunApi.Map(app);
            FamilyApi.Map(app);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            return new WorkflowHost(azurite, backend, app);
        }
        catch
        {
            if (backend is not null)
            {
                await backend.DisposeAsync().ConfigureAwait(false);
            }

            azurite.Dispose();
            throw;
        }
    }

    /// <summary>Stops the worker, the jobs this host started, the backend and Azurite if this host started it.</summary>
    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
        await _backend.DisposeAsync().ConfigureAwait(false);
        _azurite.Dispose();
    }
}
