using System.Globalization;
using Cki.Workflow.Dispatch;
using Cki.Workflow.Orchestration;
using Microsoft.Extensions.Configuration;

namespace Cki.Functions.Hosting;

/// <summary>
/// The app settings the Functions app reads (environment variables in Azure, <c>local.settings.json</c> locally),
/// read and checked in one place so that a bad value fails the host at start, naming the setting.
/// </summary>
public static class CkiSettings
{
    /// <summary>Connection string of the workflow's storage account (Azurite locally).</summary>
    public const string StorageConnectionString = "CKI_STORAGE_CONNECTION_STRING";

    /// <summary>Blob endpoint of the storage account, used with managed identity when no connection string is set.</summary>
    public const string StorageAccountUrl = "CKI_STORAGE_ACCOUNT_URL";

    /// <summary>
    /// Connection name of the blob triggers: the same account as <see cref="StorageConnectionString"/>, given to the
    /// Functions host as <c>CKI_STORAGE</c> (a connection string) or <c>CKI_STORAGE__blobServiceUri</c> and
    /// <c>CKI_STORAGE__queueServiceUri</c> (managed identity).
    /// </summary>
    public const string BlobTriggerConnection = "CKI_STORAGE";

    /// <summary>NCRONTAB (six fields) of the nightly re-integration; the timer trigger reads it as <c>%CKI_NIGHTLY_SCHEDULE%</c>.</summary>
    public const string NightlySchedule = "CKI_NIGHTLY_SCHEDULE";

    /// <summary>Seconds a family must be quiet before a blob-triggered run starts (a <c>_READY</c> marker starts it at once).</summary>
    public const string SettleSeconds = "CKI_SETTLE_SECONDS";

    /// <summary>Running time in seconds after which a job counts as hung.</summary>
    public const string JobTimeoutSeconds = "CKI_JOB_TIMEOUT_SECONDS";

    /// <summary>Seconds to wait for a job's event before asking the dispatcher about it.</summary>
    public const string ProbeIntervalSeconds = "CKI_PROBE_INTERVAL_SECONDS";

    /// <summary>Starts of one job at most.</summary>
    public const string MaxAttempts = "CKI_MAX_ATTEMPTS";

    /// <summary>The program the local dispatcher runs for a job (e.g. <c>dotnet</c> or a published <c>cki-compute</c>).</summary>
    public const string ComputeCommand = "CKI_COMPUTE_COMMAND";

    /// <summary>Arguments before <c>job --spec &lt;url&gt;</c>, separated by <c>;</c> (e.g. the path of <c>cki-compute.dll</c>).</summary>
    public const string ComputeArguments = "CKI_COMPUTE_ARGUMENTS";

    /// <summary>Jobs the local dispatcher runs at once.</summary>
    public const string ComputeMaxJobs = "CKI_COMPUTE_MAX_JOBS";

    /// <summary>Folder of the local dispatcher's job logs; none when unset.</summary>
    public const string ComputeLogFolder = "CKI_COMPUTE_LOG_FOLDER";

    /// <summary>Which dispatcher runs compute jobs: <c>local</c> (child processes; the default) or <c>kubernetes</c> (AKS Jobs).</summary>
    public const string Dispatcher = "CKI_DISPATCHER";

    /// <summary>The Kubernetes API server URL (<c>https://{cluster fqdn}</c>) of the kubernetes dispatcher.</summary>
    public const string KubernetesServer = "CKI_KUBERNETES_SERVER";

    /// <summary>The namespace of the compute Jobs (default <c>cki-jobs</c>).</summary>
    public const string KubernetesNamespace = "CKI_KUBERNETES_NAMESPACE";

    /// <summary>
    /// The cluster's certificate authority (public, not a secret) as PEM, or base64 of the PEM as a kubeconfig's
    /// <c>certificate-authority-data</c> holds it; the system's trusted authorities when unset.
    /// </summary>
    public const string KubernetesCertificateAuthority = "CKI_KUBERNETES_CA_CERT";

    /// <summary>The compute image the Jobs run (<c>{registry}/cki-compute:{tag}</c>).</summary>
    public const string ComputeImage = "CKI_COMPUTE_IMAGE";

    /// <summary>The service account of the Jobs, federated to the compute identity (default <c>cki-compute</c>).</summary>
    public const string ComputeServiceAccount = "CKI_COMPUTE_SERVICE_ACCOUNT";

    /// <summary>Application Insights connection string; the Azure Monitor exporter runs only when it is set.</summary>
    public const string ApplicationInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The job waiting settings, with <see cref="RunSettings"/>'s defaults for unset values.</summary>
    public static RunSettings RunSettings(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var defaults = new RunSettings();
        var settings = new RunSettings(
            Number(configuration, JobTimeoutSeconds, defaults.JobTimeoutSeconds),
            Number(configuration, ProbeIntervalSeconds, defaults.ProbeIntervalSeconds),
            (int)Number(configuration, MaxAttempts, defaults.MaxAttempts));
        if (settings.JobTimeoutSeconds <= 0 || settings.ProbeIntervalSeconds <= 0 || settings.MaxAttempts < 1)
        {
            throw new InvalidOperationException(
                $"{JobTimeoutSeconds} and {ProbeIntervalSeconds} must be positive and {MaxAttempts} at least 1 (got {settings}).");
        }

        return settings;
    }

    /// <summary>The settle period in seconds (<see cref="SettleSeconds"/>; 30 when unset, 0 turns it off).</summary>
    public static double Settle(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var seconds = Number(configuration, SettleSeconds, 30);
        return seconds >= 0 ? seconds : throw new InvalidOperationException($"{SettleSeconds} must not be negative (got {seconds}).");
    }

    /// <summary>The local dispatcher's options; an error naming <see cref="ComputeCommand"/> when it is unset.</summary>
    public static LocalDispatcherOptions LocalDispatcher(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var command = configuration[ComputeCommand];
        if (string.IsNullOrWhiteSpace(command))
        {
            throw new InvalidOperationException($"{ComputeCommand} is not set: the local dispatcher needs the program that runs a job (e.g. 'dotnet' with {ComputeArguments} set to the path of cki-compute.dll).");
        }

        var options = new LocalDispatcherOptions
        {
            Command = command,
            Arguments = (configuration[ComputeArguments] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            MaxConcurrentJobs = (int)Number(configuration, ComputeMaxJobs, new LocalDispatcherOptions { Command = command }.MaxConcurrentJobs),
            LogFolder = string.IsNullOrWhiteSpace(configuration[ComputeLogFolder]) ? null : configuration[ComputeLogFolder],
        };
        options.Validate();
        return options;
    }

    /// <summary>Whether <see cref="Dispatcher"/> names the kubernetes dispatcher (false for <c>local</c> or unset; an error for anything else).</summary>
    public static bool UsesKubernetes(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[Dispatcher]?.Trim().ToUpperInvariant() switch
        {
            null or "" or "LOCAL" => false,
            "KUBERNETES" => true,
            var other => throw new InvalidOperationException($"{Dispatcher}: '{configuration[Dispatcher]}' is neither 'local' nor 'kubernetes'."),
        };
    }

    /// <summary>The kubernetes dispatcher's options; the job timeout becomes each Job's active deadline.</summary>
    public static KubernetesDispatcherOptions KubernetesDispatcher(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var server = configuration[KubernetesServer];
        if (!Uri.TryCreate(server, UriKind.Absolute, out var url))
        {
            throw new InvalidOperationException($"{KubernetesServer}: '{server}' is not the API server's absolute URL (https://{{cluster fqdn}}), which the kubernetes dispatcher needs.");
        }

        var image = configuration[ComputeImage];
        if (string.IsNullOrWhiteSpace(image))
        {
            throw new InvalidOperationException($"{ComputeImage} is not set: the kubernetes dispatcher needs the compute image ({{registry}}/cki-compute:{{tag}}).");
        }

        var defaults = new KubernetesDispatcherOptions { Server = url, Image = image };
        var options = defaults with
        {
            Namespace = Text(configuration, KubernetesNamespace) ?? defaults.Namespace,
            ServiceAccount = Text(configuration, ComputeServiceAccount) ?? defaults.ServiceAccount,
            CertificateAuthorityPem = CertificateAuthority(Text(configuration, KubernetesCertificateAuthority)),
            JobTimeout = TimeSpan.FromSeconds(RunSettings(configuration).JobTimeoutSeconds),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{KubernetesServer}: {e.Message}", e);
        }

        return options;
    }

    private static string? CertificateAuthority(string? value)
    {
        if (value is null || value.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            return value;
        }

        try
        {
            var pem = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(value));
            return pem.StartsWith("-----BEGIN", StringComparison.Ordinal) ? pem : throw new FormatException("not a PEM inside");
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"{KubernetesCertificateAuthority}: neither a PEM certificate nor base64 of one ({e.Message}).", e);
        }
    }

    private static string? Text(IConfiguration configuration, string key) =>
        string.IsNullOrWhiteSpace(configuration[key]) ? null : configuration[key]!.Trim();

    private static double Number(IConfiguration configuration, string key, double fallback)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new InvalidOperationException($"{key}: '{text}' is not a number.");
    }
}
