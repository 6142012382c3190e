using Cki.Workflow.Dispatch;

namespace Cki.Workflow.Settings;

/// <summary>The kubernetes dispatcher's options from the workflow's settings, each error naming its setting.</summary>
public static class KubernetesSettings
{
    /// <summary>The options; the job timeout becomes each Job's active deadline.</summary>
    /// <exception cref="SettingsException">The server or image is missing or malformed, or the CA is not PEM.</exception>
    public static KubernetesDispatcherOptions Options(WorkflowSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var server = Name(nameof(WorkflowSettings.KubernetesServer));
        if (!Uri.TryCreate(settings.KubernetesServer, UriKind.Absolute, out var url))
        {
            throw new SettingsException($"{server}: '{settings.KubernetesServer}' is not the API server's absolute URL (https://{{cluster fqdn}}), which the kubernetes dispatcher needs.");
        }

        if (string.IsNullOrWhiteSpace(settings.ComputeImage))
        {
            throw new SettingsException($"{Name(nameof(WorkflowSettings.ComputeImage))} is not set: the kubernetes dispatcher needs the compute image ({{registry}}/cki-compute:{{tag}}).");
        }

        var options = new KubernetesDispatcherOptions
        {
            Server = url,
            Image = settings.ComputeImage.Trim(),
            Namespace = settings.KubernetesNamespace.Trim(),
            ServiceAccount = settings.ComputeServiceAccount.Trim(),
            CertificateAuthorityPem = CertificateAuthority(settings.KubernetesCertificateAuthority),
            JobTimeout = TimeSpan.FromSeconds(settings.JobTimeoutSeconds),
            MaxJobsInFlight = settings.MaxJobsInFlight,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new SettingsException($"{server}: {e.Message}", e);
        }

        return options;
    }

    private static string Name(string property) => $"{WorkflowSettings.Section}:{property}";

    private static string? CertificateAuthority(string? value)
    {
        value = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
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
            throw new SettingsException($"{Name(nameof(WorkflowSettings.KubernetesCertificateAuthority))}: neither a PEM certificate nor base64 of one ({e.Message}).", e);
        }
    }
}
