using Cki.Workflow.Dispatch;
using Cki.Workflow.Settings;

namespace Cki.Workflow.Tests.Settings;

/// <summary>The kubernetes dispatcher's options as the shared settings give them.</summary>
public class KubernetesSettingsTests
{
    private static readonly WorkflowSettings Complete = new()
    {
        Dispatcher = DispatcherKind.Kubernetes, KubernetesServer = "https://aks-x.hcp.westeurope.azmk8s.io", ComputeImage = "crx.azurecr.io/cki-compute:7",
    };

    [Fact]
    public void Options_AllSet_ReadsThemWithTheJobTimeoutAsDeadline()
    {
        var options = KubernetesSettings.Options(Complete with { KubernetesNamespace = "jobs", ComputeServiceAccount = "runner", JobTimeoutSeconds = 1200 });

        Assert.Equal(new Uri("https://aks-x.hcp.westeurope.azmk8s.io"), options.Server);
        Assert.Equal(("crx.azurecr.io/cki-compute:7", "jobs", "runner"), (options.Image, options.Namespace, options.ServiceAccount));
        Assert.Equal(TimeSpan.FromSeconds(1200), options.JobTimeout);
    }

    [Fact]
    public void Options_CertificateAuthorityAsKubeconfigData_DecodesThePemOrNamesTheSetting()
    {
        const string Pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

        var options = KubernetesSettings.Options(Complete with { KubernetesCertificateAuthority = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Pem)) });

        Assert.Equal(Pem, options.CertificateAuthorityPem);
        var error = Assert.Throws<SettingsException>(() => KubernetesSettings.Options(Complete with { KubernetesCertificateAuthority = "bm90IGEgcGVt" }));
        Assert.Contains("Cki:KubernetesCertificateAuthority", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(WorkflowSettings.KubernetesServer), null)]
    [InlineData(nameof(WorkflowSettings.KubernetesServer), "http://aks.example")]
    [InlineData(nameof(WorkflowSettings.ComputeImage), null)]
    public void Options_MissingOrBadSetting_FailsNamingIt(string name, string? value)
    {
        var settings = name == nameof(WorkflowSettings.KubernetesServer) ? Complete with { KubernetesServer = value } : Complete with { ComputeImage = value };

        var error = Assert.Throws<SettingsException>(() => KubernetesSettings.Options(settings));

        Assert.Contains($"Cki:{name}", error.Message, StringComparison.Ordinal);
    }
}
