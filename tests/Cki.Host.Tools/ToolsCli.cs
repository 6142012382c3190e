using System.CommandLine;
using System.Globalization;
using Cki.Host.Cli;
using Cki.Host.Demo;

namespace Cki.Host.Tools;

/// <summary>What cki-host-tools was asked to do: the command, the host's settings, and the command's own values.</summary>
/// <param name="Host">The command and the settings, read as cki-host reads them.</param>
/// <param name="Steps">The soak's steps.</param>
public sealed record ToolsInvocation(HostInvocation Host, int Steps = 300);

/// <summary>cki-host-tools' command line: <c>soak [steps]</c> and <c>bench</c> (stand-in jobs), each taking cki-host's settings.</summary>
public static class ToolsCli
{
    /// <summary>The command tree; <paramref name="run"/> does what a parsed command line asks.</summary>
    public static RootCommand Create(Func<ToolsInvocation, CancellationToken, Task<int>> run, IEnumerable<KeyValuePair<string, string?>> environment)
    {
        ArgumentNullException.ThrowIfNull(run);
        var settings = environment.ToList();
        var steps = new Argument<int>("steps") { Description = "How many steps of the outside tester's mix.", DefaultValueFactory = _ => 300 };
        steps.Validators.Add(r =>
        {
            // A token that is no integer gets the parser's own error; a number must be positive.
            if (r.Tokens is [{ } token] && int.TryParse(token.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value <= 0)
            {
                r.AddError(string.Create(CultureInfo.InvariantCulture, $"steps must be a positive integer, not {value}."));
            }
        });
        var soak = new Command("soak", "A fresh Azurite and host pushed by an outside tester's mix over 4 families: drops whole and file by file, " +
            "truncated and empty models, identical re-uploads, terminations; checks latest.json only moves forward and ends on every family's last drop.") { steps };
        var tensors = new Option<int>("--tensors") { Description = "Tensors per generated model (rounded up to an even count; at least one per shard).", DefaultValueFactory = _ => OverheadBench.DefaultTensors };
        var shards = new Option<int>("--shards") { Description = "Splice shards (the manifest's shards:, at most 1024).", DefaultValueFactory = _ => OverheadBench.DefaultShards };
        var bench = new Command("bench", "cki-host bench with stand-in jobs that write their results at once and do no compute: the run's wall time is the " +
            "workflow's own (triggers, Durable Task messages and replays, activities, storage). Prints the same figures (docs/scale.md).") { tensors, shards };
        var root = new RootCommand("cki-host-tools: the soak and the stand-in-jobs bench of cki-host (test tools, not shipped with the host). " +
            "Settings as cki-host takes them (--Cki:<Name>=<value>; cki-host --help lists them).")
        {
            soak, bench,
        };
        HostCli.Settle(soak, settings, "cki-host-tools", "soak", (p, i, token) => run(new ToolsInvocation(i, p.GetValue(steps)), token));
        HostCli.Settle(bench, settings, "cki-host-tools", "bench",
            (p, i, token) => run(new ToolsInvocation(i with { Tensors = p.GetValue(tensors), Shards = p.GetValue(shards) }), token));
        return root;
    }
}
