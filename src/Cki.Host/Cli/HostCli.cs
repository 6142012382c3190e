using System.CommandLine;
using Cki.Host.Demo;

namespace Cki.Host.Cli;

/// <summary>cki-host's command line: <c>serve</c> (also without a command), <c>demo</c>, <c>bench</c>, each taking settings.</summary>
public static class HostCli
{
    private static readonly string SettingsHelp =
        "Settings, on any command, as --Cki:<Name>=<value> or the environment variable Cki__<Name> (the same names as the " +
        "Functions app's settings): " + string.Join(", ", HostSettings.Names) + ". Storage is a connection string (default " +
        "UseDevelopmentStorage=true; Azurite is started when nothing answers); SettleSeconds (5) is how long a family must be " +
        "quiet before its run starts, at once when checkpoints/{family}/_READY is newer than its other blobs; NightlySchedule " +
        "is NCRONTAB with six fields, UTC (default '0 0 2 * * *', empty: off); ComputeArguments come before 'job --spec' " +
        "(';'-separated; the repository's cki-compute.dll when empty). A name that is not a setting is an error. " +
        "Logging levels as --Logging:LogLevel:Default=Warning.";

    /// <summary>The command tree; <paramref name="run"/> does what a parsed command line asks.</summary>
    public static RootCommand Create(Func<HostInvocation, CancellationToken, Task<int>> run, IEnumerable<KeyValuePair<string, string?>> environment)
    {
        ArgumentNullException.ThrowIfNull(run);
        var settings = environment.ToList();
        var serve = new Command("serve", "The self-hosted workflow: blob triggers on checkpoints/{family}/, the nightly schedule and the HTTP API " +
            "(POST /api/runs/{family}, GET /api/runs?family=&status=&from=&to=, GET /api/runs/{runId}, POST /api/runs/{runId}/terminate).");
        var scenario = new Argument<string>("scenario") { Description = "movielens (2 DIN models of MovieLens, data fetched first) or synthetic (4 models of a small synthetic task).", DefaultValueFactory = _ => "movielens" };
        scenario.AcceptOnlyFromAmong("movielens", "synthetic");
        var demo = new Command("demo", "Builds cki-compute, starts Azurite and the host, trains the models, drops them with the data and a manifest, " +
            "waits for the integration run, prints its report and copies its outputs to out/demo-run/.") { scenario };
        var tensors = new Option<int>("--tensors") { Description = "Tensors per generated model (rounded up to an even count; at least one per shard).", DefaultValueFactory = _ => OverheadBench.DefaultTensors };
        var shards = new Option<int>("--shards") { Description = "Splice shards (the manifest's shards:, at most 1024).", DefaultValueFactory = _ => OverheadBench.DefaultShards };
        var bench = new Command("bench", "The demo with 4 generated models, data-free, 16 splice shards unless --shards says otherwise, one job at a time unless " +
            "--Cki:MaxConcurrentJobs says otherwise: prints the wall time, the jobs' own time, the workflow's own time per job, and the orchestration histories' " +
            "size and replay cost (docs/scale.md). Stand-in jobs that do no compute: cki-host-tools bench.") { tensors, shards };
        var root = new RootCommand("cki-host: the CKI workflow on one machine (Durable Task over Azure Storage, Azurite, jobs as local processes).\n\n" + SettingsHelp)
        {
            serve, demo, bench,
        };

        void Bind(Command command, Func<ParseResult, HostInvocation, HostInvocation> with) =>
            Settle(command, settings, "cki-host", command == root ? "serve" : command.Name, (parse, invocation, token) => run(with(parse, invocation), token));

        Bind(root, (_, i) => i);
        Bind(serve, (_, i) => i);
        Bind(demo, (p, i) => i with { Scenario = p.GetValue(scenario)! });
        Bind(bench, (p, i) => i with { Tensors = p.GetValue(tensors), Shards = p.GetValue(shards) });
        return root;
    }

    /// <summary>
    /// Makes <paramref name="command"/> take the settings (<c>--Cki:Name=value</c> and <c>Cki__Name</c>) and run
    /// <paramref name="run"/> with them as command <paramref name="name"/>; a bad setting or a failure the user can act on is a
    /// message (after <paramref name="program"/>'s name) and exit code 1.
    /// </summary>
    public static void Settle(Command command, IReadOnlyList<KeyValuePair<string, string?>> environment, string program, string name,
        Func<ParseResult, HostInvocation, CancellationToken, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(run);
        command.TreatUnmatchedTokensAsErrors = false; // the settings; HostSettings checks each of them
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var (options, configuration) = HostSettings.Read(parse.UnmatchedTokens, environment);
                var invocation = new HostInvocation(name, options, parse.UnmatchedTokens, ConcurrencyGiven: configuration["Cki:MaxConcurrentJobs"] is not null);
                return await run(parse, invocation, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException or TimeoutException or Azure.RequestFailedException)
            {
                await Console.Error.WriteLineAsync($"{program}: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            catch (OperationCanceledException)
            {
                await Console.Error.WriteLineAsync($"{program}: stopped.").ConfigureAwait(false);
                return 130;
            }
        });
    }

}
