using Cki.Functions.Hosting;
using Cki.Workflow.Orchestration;
using Microsoft.Extensions.Configuration;

namespace Cki.Functions.Tests.Hosting;

public class CkiSettingsTests
{
    [Fact]
    public void RunSettings_NothingSet_TakesTheWorkflowDefaults() =>
        Assert.Equal(new RunSettings(), CkiSettings.RunSettings(Configuration()));

    [Fact]
    public void RunSettings_AllSet_ReadsThemInvariantly() =>
        Assert.Equal(new RunSettings(900.5, 15, 5), CkiSettings.RunSettings(Configuration(
            (CkiSettings.JobTimeoutSeconds, "900.5"), (CkiSettings.ProbeIntervalSeconds, "15"), (CkiSettings.MaxAttempts, "5"))));

    [Theory]
    [InlineData(CkiSettings.JobTimeoutSeconds, "an hour")]
    [InlineData(CkiSettings.ProbeIntervalSeconds, "0")]
    [InlineData(CkiSettings.MaxAttempts, "0")]
    public void RunSettings_BadValue_FailsNamingTheSetting(string key, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => CkiSettings.RunSettings(Configuration((key, value))));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LocalDispatcher_CommandAndArguments_SplitsArgumentsOnSemicolons()
    {
        var options = CkiSettings.LocalDispatcher(Configuration(
            (CkiSettings.ComputeCommand, "dotnet"), (CkiSettings.ComputeArguments, "/opt/cki/cki-compute.dll; --verbose"), (CkiSettings.ComputeMaxJobs, "3")));

        Assert.Equal("dotnet", options.Command);
        Assert.Equal(["/opt/cki/cki-compute.dll", "--verbose"], options.Arguments);
        Assert.Equal(3, options.MaxConcurrentJobs);
        Assert.Null(options.LogFolder);
    }

    [Fact]
    public void LocalDispatcher_NoCommand_FailsNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CkiSettings.LocalDispatcher(Configuration()));
        Assert.Contains(CkiSettings.ComputeCommand, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KubernetesDispatcher_AllSet_ReadsThemWithTheJobTimeoutAsDeadline()
    {
        var options = CkiSettings.KubernetesDispatcher(Configuration(
            (CkiSettings.KubernetesServer, "https://aks-x.hcp.westeurope.azmk8s.io"), (CkiSettings.ComputeImage, "crx.azurecr.io/cki-compute:7"),
            (CkiSettings.KubernetesNamespace, "jobs"), (CkiSettings.ComputeServiceAccount, "runner"), (CkiSettings.JobTimeoutSeconds, "1200")));

        Assert.Equal(new Uri("https://aks-x.hcp.westeurope.azmk8s.io"), options.Server);
        Assert.Equal("crx.azurecr.io/cki-compute:7", options.Image);
        Assert.Equal(("jobs", "runner"), (options.Namespace, options.ServiceAccount));
        Assert.Equal(TimeSpan.FromSeconds(1200), options.JobTimeout);
    }

    [Fact]
    public void KubernetesDispatcher_CertificateAuthorityAsKubeconfigData_DecodesThePem()
    {
        const string Pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        var encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Pem));

        var options = CkiSettings.KubernetesDispatcher(Configuration(
            (CkiSettings.KubernetesServer, "https://aks.example"), (CkiSettings.ComputeImage, "cr/cki-compute:1"), (CkiSettings.KubernetesCertificateAuthority, encoded)));

        Assert.Equal(Pem, options.CertificateAuthorityPem);
        var error = Assert.Throws<InvalidOperationException>(() => CkiSettings.KubernetesDispatcher(Configuration(
            (CkiSettings.KubernetesServer, "https://aks.example"), (CkiSettings.ComputeImage, "cr/cki-compute:1"), (CkiSettings.KubernetesCertificateAuthority, "bm90IGEgcGVt"))));
        Assert.Contains(CkiSettings.KubernetesCertificateAuthority, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CkiSettings.KubernetesServer, null)]
    [InlineData(CkiSettings.KubernetesServer, "http://aks.example")]
    [InlineData(CkiSettings.ComputeImage, null)]
    public void KubernetesDispatcher_MissingOrBadSetting_FailsNamingIt(string key, string? value)
    {
        var settings = new Dictionary<string, string> { [CkiSettings.KubernetesServer] = "https://aks.example", [CkiSettings.ComputeImage] = "cr/cki-compute:1" };
        if (value is null)
        {
            settings.Remove(key);
        }
        else
        {
            settings[key] = value;
        }

        var error = Assert.Throws<InvalidOperationException>(() => CkiSettings.KubernetesDispatcher(Configuration([.. settings.Select(p => (p.Key, p.Value))])));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("local", false)]
    [InlineData("Kubernetes", true)]
    public void UsesKubernetes_Setting_PicksTheDispatcher(string? value, bool expected) =>
        Assert.Equal(expected, CkiSettings.UsesKubernetes(value is null ? Configuration() : Configuration((CkiSettings.Dispatcher, value))));

    [Fact]
    public void UsesKubernetes_UnknownName_FailsNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CkiSettings.UsesKubernetes(Configuration((CkiSettings.Dispatcher, "docker"))));
        Assert.Contains(CkiSettings.Dispatcher, error.Message, StringComparison.Ordinal);
    }

    internal static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
