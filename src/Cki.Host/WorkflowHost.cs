using Cki.Host.Configuration;
using Cki.Workflow;
using Cki.Host.Api;
using Cki.Host.Backend;
using Cki.Host.Triggers;
using Cki.Workflow.Api;
using Cki.Workflow.Settings;
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

    /// <summary>
    /// Starts everything; <paramref name="args"/> are the command line's configuration overrides; <paramref name="replace"/>
    /// may replace services after the settings' (the bench's stand-in dispatcher).
    /// </summary>
    public static async Task<WorkflowHost> StartAsync(CkiHostOptions options, string[] args, CancellationToken cancellationToken, Action<IServiceCollection>? replace = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var root = RepositoryRoot.Find();
        var connection = options.Storage;
        var azurite = await AzuriteLauncher.EnsureAsync(connection, root,
            string.IsNullOrEmpty(options.AzuriteLocation) ? null : Path.GetFullPath(options.AzuriteLocation), cancellationToken).ConfigureAwait(false);
        DurableBackend? backend = null;
        try
        {
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
            backend = await DurableBackend.StartAsync(connection, options.TaskHub, TimeSpan.FromSeconds(options.LeaseSeconds),
                TimeSpan.FromSeconds(options.QueueVisibilitySeconds), loggers).ConfigureAwait(false);
            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.UseUrls(options.Urls);
            builder.WebHost.ConfigureKestrel(RequestLimits.Configure);
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
            var signal = new PollSignal();
            builder.Services.AddSingleton(signal);
            // cki-host reads its settings itself, from its command line and environment, before the host exists (HostSettings).
            builder.Services.AddSingleton(options);
            builder.Services.AddSingleton<WorkflowSettings>(options);
            builder.Services.AddCkiStorage(StorageSetting.FromConnectionString(connection));
            builder.Services.AddCkiWorkflow(_ => options.LocalDispatcher(JobDispatchers.JobEnvironment(connection), signal.Wake) with
            {
                Arguments = ComputeArguments(options, root),
            });
            builder.Services.AddSingleton<RunStarter>();
            builder.Services.AddSingleton(backend.History);
            builder.Services.AddSingleton<RunQueries>();
            builder.Services.AddSingleton<JobResultEvents>();
            replace?.Invoke(builder.Services);
            builder.Services.AddDurableTaskWorker(b =>
            {
                b.UseGrpc(backend.Channel);
                b.AddTasks(r => r.AddCkiTasks());
            });
            builder.Services.AddDurableTaskClient(b => b.UseGrpc(backend.Channel));
            if (options.BlobTriggers)
            {
                builder.Services.AddHostedService<BlobPoller>();
            }

            builder.Services.AddHostedService<NightlyScheduler>();
            var app = builder.Build();
            await app.Services.GetRequiredService<WorkflowStorage>().EnsureContainersAsync(cancellationToken).ConfigureAwait(false);
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

    // The settings' arguments, or the repository's cki-compute.dll for dotnet.
    private static IReadOnlyList<string> ComputeArguments(CkiHostOptions options, string? root)
    {
        if (options.ComputeArgumentList.Count > 0 || options.ComputeCommand != "dotnet")
        {
            return options.ComputeArgumentList;
        }

        return [RepositoryRoot.ComputeDll(root) ?? throw new SettingsException(
            $"No cki-compute.dll found: build it ('dotnet build src/Cki.Compute -c Release') or set {WorkflowSettings.Section}:{nameof(WorkflowSettings.ComputeArguments)} to its path.")];
    }

    /// <summary>Stops the worker, the jobs this host started, the backend and Azurite if this host started it.</summary>
    /// <remarks>
    /// Bounded: the web host gets <see cref="StopSeconds"/> to stop its services (the dispatcher ends its jobs and
    /// workers), the backend as long again; Azurite is stopped whatever happened before.
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        try
        {
            using (var bound = new CancellationTokenSource(TimeSpan.FromSeconds(StopSeconds)))
            {
                await App.StopAsync(bound.Token).ConfigureAwait(false);
            }

            await App.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(StopSeconds)).ConfigureAwait(false);
            await _backend.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(StopSeconds)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A stop that outlived its bound: what is left ends with the process; Azurite (a separate process) is stopped below.
        }
        finally
        {
            _azurite.Dispose();
        }
    }

    /// <summary>The bound on each step of stopping the host, in seconds.</summary>
    public const int StopSeconds = 15;
}
