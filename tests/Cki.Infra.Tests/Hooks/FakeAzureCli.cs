using System.Diagnostics;

namespace Cki.Infra.Tests.Hooks;

/// <summary>
/// Runs an azd hook of infra/scripts with a FAKE <c>az</c> first on PATH (no Azure here): a shell script that records
/// every call, one line each, and answers like az would for the calls the hooks make. How it answers is set per test:
/// <see cref="ClusterRefusals"/> failed kubectl runs inside the cluster (az still exits 0, as the real one does) before one
/// succeeds.
/// </summary>
public sealed class FakeAzureCli : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cki-fake-az-").FullName;

    /// <summary>How many <c>az aks command invoke</c> calls report kubectl's exitcode=1 (Forbidden) before one reports 0.</summary>
    public int ClusterRefusals { get; init; }

    /// <summary>Every call of az, its arguments joined by spaces, in order.</summary>
    public IReadOnlyList<string> Calls => File.Exists(CallLog) ? File.ReadAllLines(CallLog) : [];

    private string CallLog => Path.Combine(_folder, "calls.log");

    /// <summary>Runs <c>sh infra/scripts/{script}</c> from the repository root with the environment azd would give it.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(string script, IReadOnlyDictionary<string, string>? extra = null)
    {
        WriteScript();
        var start = new ProcessStartInfo("sh", [Path.Combine("infra", "scripts", script)])
        {
            WorkingDirectory = RepositoryFiles.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PATH"] = $"{_folder}:{System.Environment.GetEnvironmentVariable("PATH")}";
        foreach (var (name, value) in HookEnvironment().Concat(extra ?? new Dictionary<string, string>()))
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }

    // What azd hands a hook: its environment's values (the template's outputs among them).
    private static Dictionary<string, string> HookEnvironment() => new(StringComparer.Ordinal)
    {
        ["AZURE_SUBSCRIPTION_ID"] = "00000000-0000-0000-0000-0000000000aa",
        ["AZURE_LOCATION"] = "eastus",
        ["AZURE_ENV_NAME"] = "test",
        ["AZURE_RESOURCE_GROUP"] = "rg-test",
        ["AZURE_AKS_CLUSTER_NAME"] = "aks-test",
        ["AZURE_CONTAINER_REGISTRY_NAME"] = "crtest",
        ["AZURE_FUNCTION_APP_NAME"] = "func-test",
        ["AZURE_STORAGE_ACCOUNT_NAME"] = "sttest",
        ["CKI_JOBS_NAMESPACE"] = "cki-jobs",
        ["CKI_COMPUTE_CLIENT_ID"] = "11111111-1111-1111-1111-111111111111",
        ["CKI_EVENT_GRID_TOPIC"] = "evgt-test",
        ["CKI_CLUSTER_WAIT"] = "0",
    };

    private void WriteScript()
    {
        var path = Path.Combine(_folder, "az");
        File.WriteAllText(path, $$"""
            #!/bin/sh
            echo "$*" >> '{{CallLog}}'
            case "$*" in
              "aks command invoke"*)
                n=$(cat '{{_folder}}/invokes' 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > '{{_folder}}/invokes'
                if [ "$n" -le {{ClusterRefusals}} ]; then
                  echo "command started at 2026-01-01 00:00:00+00:00, finished at 2026-01-01 00:00:01+00:00 with exitcode=1"
                  echo 'Error from server (Forbidden): namespaces is forbidden'
                else
                  echo "command started at 2026-01-01 00:00:00+00:00, finished at 2026-01-01 00:00:01+00:00 with exitcode=0"
                fi ;;
              "aks get-credentials"*)
                printf 'clusters:\n- cluster:\n    certificate-authority-data: Q0EtUEVN\n    server: https://aks-test\n' ;;
              "functionapp keys list"*) echo "fake-blobs-extension-key" ;;
            esac
            exit 0
            """.Replace("\r", "", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
