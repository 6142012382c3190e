using Cki.Host.Configuration;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Cki.Contracts.Runs;
using Cki.Workflow.Dispatch;
using Cki.Contracts.Storage;
using Cki.Workflow.Activities;
using Azure.Core;
using Azure.Storage.Blobs;
using Microsoft.DurableTask.Client;

namespace Cki.Host.Demo;

/// <summary>
/// The README's first command: builds cki-compute, starts Azurite and the self-hosted host, drops a family of
/// trained models and its manifest into <c>checkpoints/demo/</c>, waits for the integration run the blob trigger
/// starts, prints the report and where the outputs are, and stops everything it started.
/// </summary>
public static class DemoRun
{
    private const string Family = "demo";

    /// <summary>The manifest the demo drops: CKI on the synthetic task's head, K = 4, a learning-rate sweep, baselines and one retraining epoch.</summary>
    public const string Manifest = """
        # The demo family: four models of the synthetic task, each trained on its own quarter of the training split.
        task: synthetic
        sources: [a, b, c, d]
        merge:
          method: cki
          tensors: head
        candidates:
          learning_rates: [0.001, 0.01]
          epochs: 5
        evaluation:
          metrics: [auc, logloss]
          baselines: [average, global-only, ensemble]
        retrain_epochs: 1
        shards: 4
        """;

    /// <summary>The MovieLens demo: DIN models of two halves of the training period, CKI on the head, MovieLens data in <c>data/</c>.</summary>
    public const string MovieLensManifest = """
        # Two DIN models of MovieLens, one per half of the training period (the time-window case).
        task: movielens
        sources: [a, b]
        merge:
          method: cki
          tensors: head
        data:
          ratings: data/movielens/ratings.csv
          movies: data/movielens/movies.csv
        candidates:
          learning_rates: [0.001, 0.01]
          epochs: 3
        evaluation:
          metrics: [auc, logloss]
          baselines: [average, ensemble]
        retrain_epochs: 1
        shards: 3
        """;

    /// <summary>The synthetic demo: trained synthetic-task models and the learned CKI run.</summary>
    public static DemoScenario Demo { get; } = new("training 4 models of the synthetic task (one per quarter of its training split)",
        ["--models", "4"], Manifest, 4);

    /// <summary>The default demo (fetches MovieLens into .cache/movielens first if needed; falls back to <see cref="Demo"/> when it cannot).</summary>
    public static DemoScenario MovieLens { get; } = new("training 2 DIN models on MovieLens (one per half of the training period; the data is fetched first if needed)",
        ["--task", "movielens", "--models", "2", "--epochs", "3", "--cache", Path.Combine(".cache", "movielens")], MovieLensManifest, 2)
    {
        Data = [(Path.Combine(".cache", "movielens", "ratings.csv"), "movielens/ratings.csv"), (Path.Combine(".cache", "movielens", "movies.csv"), "movielens/movies.csv")],
        Fallback = Demo,
    };

    /// <summary>The overhead benchmark's scenario at its default size (<see cref="OverheadBench.Scenario"/> makes any other).</summary>
    public static DemoScenario Overhead { get; } = OverheadBench.Scenario(OverheadBench.DefaultTensors, OverheadBench.DefaultShards);

    /// <summary>Runs a scenario; returns the exit code.</summary>
    public static async Task<int> RunAsync(CkiHostOptions options, string[] overrides, DemoScenario scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var root = RepositoryRoot.Find() ?? throw new InvalidOperationException("cki-host demo runs inside the repository (no Cki.sln found above the working folder).");
        var dll = await PrepareAsync(root, clock, cancellationToken).ConfigureAwait(false);
        var family = Path.Combine(root, ".cache", "demo-family");
        if (scenario.Data.Count > 0 && !scenario.Data.All(d => File.Exists(Path.Combine(root, d.Local))))
        {
            Say(clock, "fetching MovieLens (apt-get download r-cran-dslabs, read by our own R-format reader)");
            try
            {
                await RunAsync("dotnet", [dll, "data", "fetch", "movielens", "--cache", Path.Combine(root, ".cache", "movielens")], root, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException e) when (scenario.Fallback is not null)
            {
                Say(clock, $"MovieLens could not be fetched here ({e.Message}); the demo uses the synthetic task instead");
                scenario = scenario.Fallback;
            }
        }

        if (Directory.Exists(family))
        {
            Directory.Delete(family, recursive: true); // a family of another scenario must not leave sources behind
        }
        Say(clock, scenario.Title);
        await RunAsync("dotnet", [dll, "demo", "family", "--out", family, .. scenario.FamilyArguments], root, cancellationToken).ConfigureAwait(false);
        var (demoOptions, port) = FreshLocal(options with { ProbeIntervalSeconds = 5 }, root, dll, "CkiDemo");
        Say(clock, $"starting Azurite (127.0.0.1:{port}) and the workflow host");
        var blobs = new BlobOperationCounts();
        await using var host = await WorkflowHost.StartAsync(demoOptions, [.. overrides, "--Logging:LogLevel:Default=Warning"], cancellationToken, services =>
        {
            if (scenario.Bench)
            {
                // The bench's profile counts the host's blob requests: the same account, through a counting pipeline.
                var counted = new BlobClientOptions();
                counted.AddPolicy(blobs, HttpPipelinePosition.PerCall);
                services.AddSingleton(new BlobServiceClient(demoOptions.Storage, counted));
            }

            scenario.Services?.Invoke(services);
        }).ConfigureAwait(false);
        Say(clock, $"host up; HTTP API on {host.Url}; dropping the family into {BlobLayout.CheckpointsContainer}/{Family}/");
        var dropped = Stopwatch.StartNew();
        for (var k = 0; k < scenario.Models; k++)
        {
            var source = ((char)('a' + k)).ToString();
            var bytes = await File.ReadAllBytesAsync(Path.Combine(family, source, CheckpointFileNames.SingleFile), cancellationToken).ConfigureAwait(false);
            await host.Storage.WriteSmallAsync(BlobLayout.CheckpointsContainer, BlobLayout.CheckpointFile(Family, source, "v1", CheckpointFileNames.SingleFile), bytes, null, cancellationToken)
                .ConfigureAwait(false);
        }

        foreach (var (local, blob) in scenario.Data)
        {
            await host.Storage.WriteSmallAsync(BlobLayout.DataContainer, blob, await File.ReadAllBytesAsync(Path.Combine(root, local), cancellationToken).ConfigureAwait(false),
                null, cancellationToken).ConfigureAwait(false);
        }

        await host.Storage.WriteSmallAsync(BlobLayout.CheckpointsContainer, BlobLayout.FamilyManifest(Family), Encoding.UTF8.GetBytes(scenario.Manifest), null, cancellationToken)
            .ConfigureAwait(false);
        // The drop is complete: the marker starts the run at once instead of after the settle period. Storage times have
        // one-second resolution, and a marker in the same second as the last file is not trusted: write it a second later.
        await Task.Delay(TimeSpan.FromSeconds(1.1), cancellationToken).ConfigureAwait(false);
        await host.Storage.WriteSmallAsync(BlobLayout.CheckpointsContainer, BlobLayout.ReadyMarker(Family), [], null, cancellationToken).ConfigureAwait(false);
        var marked = dropped.Elapsed.TotalSeconds;
        // The workflow's requests only: not the drop's uploads before, nor the copy of the outputs after.
        blobs.Clear();
        var run = await WaitForRunAsync(host.Client, clock, cancellationToken).ConfigureAwait(false);
        var wall = dropped.Elapsed.TotalSeconds;
        var runBlobs = blobs.Snapshot();
        if (run.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            Console.Error.WriteLine($"The run {run.InstanceId} ended {run.RuntimeStatus}: {run.FailureDetails?.ErrorMessage ?? run.SerializedCustomStatus}");
            return 1;
        }

        var output = Path.Combine(root, "out", "demo-run");
        var report = await CopyOutputsAsync(host, run.InstanceId, output, cancellationToken).ConfigureAwait(false);
        Console.WriteLine();
        Console.WriteLine(report);
        var jobs = run.ReadOutputAs<RunSummary>()!.Jobs;
        var jobSeconds = jobs.Sum(j => j.Seconds);
        Console.WriteLine($"Run {run.InstanceId}: {wall:F1} s from the drop to completion ({marked:F1} s of it uploading the files and the one-second wait before the ready marker); {jobs.Count} jobs whose own time adds up to {jobSeconds:F1} s " +
            $"(at most {options.MaxConcurrentJobs} at once).");
        if (options.MaxConcurrentJobs == 1 && host.App.Services.GetRequiredService<IJobDispatcher>() is LocalProcessDispatcher processDispatcher)
        {
            var processes = processDispatcher.ProcessTime.TotalSeconds;
            Console.WriteLine($"The job processes ran {processes:F1} s from start to exit: {processes - jobSeconds:F1} s of it ({(processes - jobSeconds) / jobs.Count:F2} s per job) " +
                $"is process start, runtime and libtorch loading and reading the spec, outside the jobs' own time; the rest, {wall - processes:F1} s, is the workflow's own " +
                "(triggers, Durable Task messages and replays, activities).");
            Console.WriteLine($"Orchestration overhead (wall time minus the jobs' own time, jobs one at a time): {wall - jobSeconds:F1} s, " +
                $"{(wall - jobSeconds) / jobs.Count:F2} s per job (triggers, Durable Task messages, timers, and each job's process start).");
        }

        if (scenario.Bench)
        {
            var history = await HistoryFigures.ReadAsync(demoOptions.Storage, demoOptions.TaskHub, run.InstanceId, cancellationToken).ConfigureAwait(false);
            OverheadBench.Print(wall, jobs.Count, jobSeconds, host.App.Services.GetRequiredService<IJobDispatcher>(), options.MaxConcurrentJobs, history, runBlobs);
        }

        Console.WriteLine($"Outputs: integrated/{Family}/{run.InstanceId}/ in the demo's Azurite, copied to {output}");
        Console.WriteLine($"(model.safetensors.index.json + shards, compatibility maps, report.md, README.md model card, provenance.json). Total {clock.Elapsed.TotalSeconds:F0} s.");
        return 0;
    }

    private static async Task<OrchestrationMetadata> WaitForRunAsync(DurableTaskClient client, Stopwatch clock, CancellationToken cancellationToken)
    {
        string? last = null;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(30))
        {
            await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = Family + "-", FetchInputsAndOutputs = true })
                .WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var line = $"run {instance.InstanceId}: {instance.RuntimeStatus} {instance.SerializedCustomStatus}";
                if (line != last)
                {
                    Say(clock, line);
                    last = line;
                }

                if (instance.IsCompleted)
                {
                    return await client.GetInstanceAsync(instance.InstanceId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false) ?? instance;
                }
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException("The demo run did not finish within 30 minutes.");
    }

    private static async Task<string> CopyOutputsAsync(WorkflowHost host, string runId, string folder, CancellationToken cancellationToken)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        var prefix = BlobLayout.IntegratedRunPrefix(Family, runId);
        foreach (var blob in await host.Storage.ListAsync(BlobLayout.IntegratedContainer, prefix, cancellationToken).ConfigureAwait(false))
        {
            var read = await host.Storage.ReadSmallAsync(BlobLayout.IntegratedContainer, blob.Name, 1L << 30, cancellationToken).ConfigureAwait(false);
            await File.WriteAllBytesAsync(Path.Combine(folder, blob.Name[prefix.Length..]), read!.Value.Content, cancellationToken).ConfigureAwait(false);
        }

        return await File.ReadAllTextAsync(Path.Combine(folder, WriteReportActivity.ReportMarkdown), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Builds cki-compute (Release) and installs Azurite when missing; returns the cki-compute DLL.</summary>
    public static async Task<string> PrepareAsync(string root, Stopwatch clock, CancellationToken cancellationToken)
    {
        Say(clock, "building cki-compute (Release)");
        await RunAsync("dotnet", ["build", Path.Combine(root, "src", "Cki.Compute"), "-c", "Release", "--nologo", "-v", "q", "-clp:ErrorsOnly"], root, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js")))
        {
            Say(clock, "installing Azurite (npm ci)");
            await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], root, cancellationToken).ConfigureAwait(false);
        }

        return Path.Combine(root, "src", "Cki.Compute", "bin", "Release", "net10.0", "cki-compute.dll");
    }

    /// <summary>Options of a host on a fresh in-memory Azurite on free loopback ports (nothing of an earlier run is seen).</summary>
    public static (CkiHostOptions Options, int Port) FreshLocal(CkiHostOptions options, string root, string dll, string taskHub)
    {
        var port = FreePortTriple();
        var storage = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port + 1}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{port + 2}/devstoreaccount1;";
        return (options with
        {
            Storage = storage, Urls = "http://127.0.0.1:0", ComputeArguments = dll, NightlySchedule = "",
            TaskHub = taskHub, AzuriteLocation = "", LogFolder = Path.Combine(root, ".cache", "cki-host", "logs"),
        }, port);
    }

    private static async Task RunAsync(string program, string[] arguments, string folder, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{program} {string.Join(' ', arguments)}' failed with exit code {process.ExitCode}.");
        }
    }

    // Three consecutive free loopback ports for Azurite's blob, queue and table services.
    private static int FreePortTriple()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var probe = new TcpListener(System.Net.IPAddress.Loopback, 0);
            probe.Start();
            var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            if (port < 65000 && Free(port + 1) && Free(port + 2))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No three consecutive free loopback ports for Azurite.");
    }

    private static bool Free(int port)
    {
        try
        {
            using var probe = new TcpListener(System.Net.IPAddress.Loopback, port);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Prints a progress line with the seconds since <paramref name="clock"/> started.</summary>
    public static void Say(Stopwatch clock, string line) => Console.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F1}s] {line}");
}

/// <summary>What a demo run drops: how the family is made, its manifest and how many models it has.</summary>
/// <param name="Title">The progress line while the family is made.</param>
/// <param name="FamilyArguments">Arguments of <c>cki-compute demo family</c>.</param>
/// <param name="Manifest">The manifest dropped with it.</param>
/// <param name="Models">How many models (sources a, b, ...).</param>
public sealed record DemoScenario(string Title, IReadOnlyList<string> FamilyArguments, string Manifest, int Models)
{
    /// <summary>The scenario run instead when this one's data cannot be fetched on this machine.</summary>
    public DemoScenario? Fallback { get; init; }

    /// <summary>Data files to upload into the <c>data</c> container: (path under the repository, blob name).</summary>
    public IReadOnlyList<(string Local, string Blob)> Data { get; init; } = [];

    /// <summary>Whether the run is <c>cki-host bench</c>'s, which prints <see cref="OverheadBench"/>'s figures.</summary>
    public bool Bench { get; init; }

    /// <summary>Replaces some of the host's services (a tool's stand-in dispatcher instead of <c>cki-compute</c> processes), or null.</summary>
    public Action<IServiceCollection>? Services { get; init; }
}
