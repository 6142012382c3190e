using System.Collections;
using System.CommandLine;
using Cki.Host;
using Cki.Host.Demo;
using Cki.Host.Tools;
using Cki.Host.Tools.Soak;

// cki-host-tools [soak|bench] [--Cki:<Name>=<value> ...]: the soak and the stand-in-jobs bench, outside the shipped cki-host.
using var stop = new ShutdownSignal();
var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().Select(e => KeyValuePair.Create((string)e.Key, (string?)e.Value));
var root = ToolsCli.Create((invocation, _) => RunAsync(invocation, stop.Token), environment);
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token).ConfigureAwait(false);

static async Task<int> RunAsync(ToolsInvocation invocation, CancellationToken stopToken)
{
    var host = invocation.Host;
    var (options, overrides) = (host.Options, host.Overrides.ToArray());
    return host.Command switch
    {
        "soak" => await SoakCommand.RunAsync(options, overrides, invocation.Steps, stopToken).ConfigureAwait(false),
        _ => await DemoRun.RunAsync(options with { MaxConcurrentJobs = host.ConcurrencyGiven ? options.MaxConcurrentJobs : 1 },
            overrides, InstantBench.Scenario(host.Tensors, host.Shards), stopToken).ConfigureAwait(false),
    };
}
