using System.Diagnostics;

namespace Cki.Infra.Tests.Hooks;

/// <summary>
/// Runs an azd hook of infra/scripts with a FAKE <c>az</c> and a FAKE <c>azd</c> first on PATH (no Azure here): shell
/// scripts that record every call, one line each, and answer like az would for the calls the hooks make (with az's
/// query applied, e.g. tab-separated columns). How it answers is set per test.
/// </summary>
public sealed class FakeAzureCli : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cki-fake-az-").FullName;

    /// <summary>How many <c>az aks command invoke</c> calls report kubectl's exitcode=1 (Forbidden) before one reports 0.</summary>
    public int ClusterRefusals { get; init; }

    /// <summary>Regions <c>az functionapp list-flexconsumption-locations</c> names, one a line (as az may print them).</summary>
    public string FlexRegions { get; init; } = "East US\nSweden Central";

    /// <summary>What <c>az vm list-skus</c> answers for the GPU size: family, restriction count, vCPUs (empty: not offered).</summary>
    public string GpuSku { get; init; } = "standardNCASv3_T4Family\t0\t4";

    /// <summary>What <c>az vm list-usage</c> answers for the GPU family: vCPUs used, limit.</summary>
    public string GpuUsage { get; init; } = "0\t8";

    /// <summary>Whether <c>az acr build</c> fails (as it does where the registry's build tasks are refused).</summary>
    public bool RegistryBuildRefused { get; init; }

    /// <summary>Every call of az, its arguments joined by spaces, in order.</summary>
    public IReadOnlyList<string> Calls => File.Exists(CallLog) ? File.ReadAllLines(CallLog) : [];

    /// <summary>Every call of azd, its arguments joined by spaces, in order.</summary>
    public IReadOnlyList<string> AzdCalls => File.Exists(AzdLog) ? File.ReadAllLines(AzdLog) : [];

    /// <summary>The subscription azd hands the hooks (<c>AZURE_SUBSCRIPTION_ID</c>).</summary>
    public const string Subscription = "00000000-0000-0000-0000-0000000000aa";

    private string CallLog => Path.Combine(_folder, "calls.log");

    private string AzdLog => Path.Combine(_folder, "azd.log");

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
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not end within 60 s");
        }

        return (process.ExitCode, await output + await errors);
    }

    // What azd hands a hook: its environment's values (the template's outputs among them).
    private static Dictionary<string, string> HookEnvironment() => new(StringComparer.Ordinal)
    {
        ["AZURE_SUBSCRIPTION_ID"] = Subscription,
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
        ["AZURE_FUNCTIONS_STORAGE_ACCOUNT_NAME"] = "stfntest",
        ["CKI_EVENT_GRID_DEAD_LETTER_CONTAINER"] = "eventgrid-deadletter",
        ["CKI_COMPUTE_IMAGE"] = "crtest.azurecr.io/cki-compute:0123456789ab",
        ["CKI_CLUSTER_WAIT"] = "0",
        ["CKI_KEY_WAIT"] = "0",
    };

    private void WriteScript()
    {
        Write("az", $$"""
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
              "functionapp list-flexconsumption-locations"*) printf '{{FlexRegions}}\n' ;;
              "vm list-skus"*) [ -n '{{GpuSku}}' ] && printf '{{GpuSku}}\n' ;;
              "vm list-usage"*) printf '{{GpuUsage}}\n' ;;
              "acr build"*) [ '{{RegistryBuildRefused}}' = True ] && { echo 'TasksOperationsNotAllowed' >&2; exit 1; } ;;
            esac
            exit 0
            """);
        Write("azd", $$"""
            #!/bin/sh
            echo "$*" >> '{{AzdLog}}'
            exit 0
            """);
    }

    private void Write(string name, string script)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, script.Replace("\r", "", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
