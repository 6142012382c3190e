using Cki.Host.Configuration;
using System.Diagnostics;
using Cki.Host.Demo;

namespace Cki.Host.Tools.Soak;

/// <summary><c>cki-host-tools soak [steps]</c>: a fresh in-memory Azurite and host, the soak, its figures; exit code 1 on any violation.</summary>
public static class SoakCommand
{
    /// <summary>Runs the soak with <paramref name="steps"/> steps.</summary>
    public static async Task<int> RunAsync(CkiHostOptions options, string[] overrides, int steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var root = RepositoryRoot.Find() ?? throw new InvalidOperationException("cki-host-tools soak runs inside the repository (no Cki.sln found above the working folder).");
        var dll = await DemoRun.PrepareAsync(root, clock, cancellationToken).ConfigureAwait(false);
        var (soakOptions, port) = DemoRun.FreshLocal(options with { ProbeIntervalSeconds = 2 }, root, dll, "CkiSoak");
        DemoRun.Say(clock, $"starting Azurite (127.0.0.1:{port}) and the workflow host; {steps} soak steps over 4 families");
        await using var host = await WorkflowHost.StartAsync(soakOptions, [.. overrides, "--Logging:LogLevel:Default=Error"], cancellationToken).ConfigureAwait(false);
        var report = await new SoakRun(host, new SoakOptions { Steps = steps }, line => DemoRun.Say(clock, line)).RunAsync(cancellationToken).ConfigureAwait(false);
        Console.WriteLine(report);
        return report.Violations.Count == 0 ? 0 : 1;
    }
}
