using Cki.Host;
using Cki.Host.Demo;

// cki-host [serve] [--Cki:Storage=...]: the self-hosted workflow; cki-host demo: the README's first command.
var command = args.Any(a => a is "--help" or "-h") ? "help" : args.FirstOrDefault(a => !a.StartsWith('-')) ?? "serve";
var overrides = args.Where(a => a.StartsWith('-')).ToArray();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(overrides).Build();
var options = configuration.GetSection("Cki").Get<CkiHostOptions>() ?? new CkiHostOptions();
try
{
    return await RunAsync(command, options, overrides, args, configuration, stop.Token).ConfigureAwait(false);
}
catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException or TimeoutException or Azure.RequestFailedException)
{
    Console.Error.WriteLine($"cki-host: {e.Message}");
    return 1;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("cki-host: stopped.");
    return 130;
}

static async Task<int> RunAsync(string command, CkiHostOptions options, string[] overrides, string[] args, IConfiguration configuration, CancellationToken stopToken)
{
    switch (command)
    {
        case "serve":
            await using (var host = await WorkflowHost.StartAsync(options, overrides, stopToken).ConfigureAwait(false))
            {
                Console.WriteLine($"cki-host: API and dashboard on {host.Url} (POST calls need 'Authorization: Bearer <token>', the token is in {Path.GetFullPath(options.ApiTokenFile)}); drop checkpoints into checkpoints/{{family}}/ of {host.Storage.AccountUrl}. Ctrl+C stops.");
                try
                {
                    await Task.Delay(Timeout.Infinite, stopToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }

            return 0;
        case "demo":
            var scenario = args.Where(a => !a.StartsWith('-')).Skip(1).FirstOrDefault() switch
            {
                null or "movielens" => DemoRun.MovieLens,
                "synthetic" => DemoRun.Demo,
                var other => throw new ArgumentException($"demo: unknown scenario '{other}'; expected synthetic or movielens."),
            };
            return await DemoRun.RunAsync(options, overrides, scenario, stopToken).ConfigureAwait(false);
        case "bench":
            return await DemoRun.RunAsync(options with { MaxConcurrentJobs = configuration["Cki:MaxConcurrentJobs"] is null ? 1 : options.MaxConcurrentJobs },
                overrides, DemoRun.Overhead, stopToken).ConfigureAwait(false);
        case "soak":
            var stepsText = args.Where(a => !a.StartsWith('-')).Skip(1).FirstOrDefault() ?? "300";
            return int.TryParse(stepsText, System.Globalization.CultureInfo.InvariantCulture, out var steps) && steps > 0
                ? await Cki.Host.Soak.SoakCommand.RunAsync(options, overrides, steps, stopToken).ConfigureAwait(false)
                : throw new ArgumentException($"soak: '{stepsText}' is not a number of steps (a positive integer).");
        case "help":
            Console.WriteLine("""
                usage: cki-host [serve|demo|soak|bench] [--Cki:<setting>=<value> ...]
                  serve  the self-hosted workflow: blob triggers on checkpoints/{family}/, the nightly schedule and the HTTP API
                         (POST /api/runs/{family}, GET /api/runs?family=&status=&from=&to=, GET /api/runs/{runId}, POST /api/runs/{runId}/terminate)
                  demo   builds cki-compute, starts Azurite and the host, trains 2 DIN models of MovieLens (one per half of the
                         training period; the data is fetched from a Debian package first), drops them, the data and a manifest,
                         waits for the integration run, prints its report and copies its outputs to out/demo-run/
                  demo synthetic   the same with 4 models of a small synthetic task (no data to fetch; also the fallback)
                  soak [steps]  a fresh Azurite and host pushed by an outside tester's mix (default 300 steps over 4 families):
                         drops whole and file by file, truncated and empty models, identical re-uploads, terminations;
                         checks latest.json only moves forward and ends on every family's last drop; prints counts and memory
                  bench  the same with 4 generated models, data-free, 16 splice shards, one job at a time: prints the
                         orchestration overhead (run wall time minus the jobs' own time)
                settings: Storage (default UseDevelopmentStorage=true; Azurite is started when nothing answers), TaskHub, Urls,
                          ComputeCommand, ComputeDll, MaxConcurrentJobs, JobTimeoutSeconds, ProbeIntervalSeconds, MaxAttempts,
                          BlobTriggers, PollSeconds, SettleSeconds (5; a drop starts once its family is quiet this long, or at once
                          when checkpoints/{family}/_READY is newer than all its other blobs), NightlySchedule (cron, UTC), LeaseSeconds,
                          QueueVisibilitySeconds, AzuriteLocation, LogFolder, ApiTokenFile (the bearer token the POST routes need)
                """);
            return 0;
        default:
            Console.Error.WriteLine($"cki-host: unknown command '{command}'; expected serve, demo, soak or bench (--help lists them).");
            return 2;
    }
}
