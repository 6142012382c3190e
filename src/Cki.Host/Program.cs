using System.Collections;
using System.CommandLine;
using Cki.Host;
using Cki.Host.Cli;
using Cki.Host.Demo;

// cki-host [serve|demo|bench] [--Cki:<Name>=<value> ...]: the self-hosted workflow; cki-host demo is the README's first command.
// Ctrl+C and SIGTERM stop it gracefully (children included) within a bounded time; the command line's own signal handling,
// which would end the process 2 s after the signal whatever is still shutting down, is off.
using var stop = new ShutdownSignal();
var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().Select(e => KeyValuePair.Create((string)e.Key, (string?)e.Value));
var root = HostCli.Create((invocation, _) => RunAsync(invocation, stop.Token), environment);
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token).ConfigureAwait(false);

static async Task<int> RunAsync(HostInvocation invocation, CancellationToken stopToken)
{
    var (options, overrides) = (invocation.Options, invocation.Overrides.ToArray());
    switch (invocation.Command)
    {
        case "demo":
            return await DemoRun.RunAsync(options, overrides, invocation.Scenario == "synthetic" ? DemoRun.Demo : DemoRun.MovieLens, stopToken).ConfigureAwait(false);
        case "bench":
            return await DemoRun.RunAsync(options with { MaxConcurrentJobs = invocation.ConcurrencyGiven ? options.MaxConcurrentJobs : 1 },
                overrides, OverheadBench.Scenario(invocation.Tensors, invocation.Shards), stopToken).ConfigureAwait(false);
        default:
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
    }
}
