using Cki.Host.Configuration;
namespace Cki.Host.Cli;

/// <summary>What the command line asked cki-host to do, with the settings it resolved.</summary>
/// <param name="Command"><c>serve</c>, <c>demo</c>, <c>soak</c> or <c>bench</c>.</param>
/// <param name="Options">The settings: defaults, then <c>Cki__Name</c> environment variables, then <c>--Cki:Name=value</c>.</param>
/// <param name="Overrides">The <c>--Cki:Name=value</c> arguments as given, for the processes the host starts.</param>
/// <param name="Scenario">The demo's scenario: <c>movielens</c> or <c>synthetic</c>.</param>
/// <param name="Steps">The soak's steps.</param>
/// <param name="ConcurrencyGiven">Whether <c>MaxConcurrentJobs</c> was set (bench runs one job at a time unless it was).</param>
/// <param name="Tensors">The bench's tensors per generated model.</param>
/// <param name="Shards">The bench's splice shards.</param>
/// <param name="InstantJobs">Whether the bench's jobs are stand-ins that do no compute (<c>--jobs instant</c>).</param>
public sealed record HostInvocation(string Command, CkiHostOptions Options, IReadOnlyList<string> Overrides, string Scenario = "movielens", int Steps = 300,
    bool ConcurrencyGiven = false, int Tensors = Demo.OverheadBench.DefaultTensors, int Shards = Demo.OverheadBench.DefaultShards, bool InstantJobs = false);
