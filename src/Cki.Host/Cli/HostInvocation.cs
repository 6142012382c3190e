using Cki.Host.Configuration;
namespace Cki.Host.Cli;

/// <summary>What the command line asked cki-host to do, with the settings it resolved.</summary>
/// <param name="Command"><c>serve</c>, <c>demo</c> or <c>bench</c> (or a tool's command).</param>
/// <param name="Options">The settings: defaults, then <c>Cki__Name</c> environment variables, then <c>--Cki:Name=value</c>.</param>
/// <param name="Overrides">The <c>--Cki:Name=value</c> arguments as given, for the processes the host starts.</param>
/// <param name="Scenario">The demo's scenario: <c>movielens</c> or <c>synthetic</c>.</param>
/// <param name="ConcurrencyGiven">Whether <c>MaxConcurrentJobs</c> was set (bench runs one job at a time unless it was).</param>
/// <param name="Tensors">The bench's tensors per generated model.</param>
/// <param name="Shards">The bench's splice shards.</param>
public sealed record HostInvocation(string Command, CkiHostOptions Options, IReadOnlyList<string> Overrides, string Scenario = "movielens",
    bool ConcurrencyGiven = false, int Tensors = Demo.OverheadBench.DefaultTensors, int Shards = Demo.OverheadBench.DefaultShards);
