using Cki.Workflow.Dispatch;

namespace Cki.Infra.Tests.Kubernetes;

/// <summary>The manifests infra/scripts/postprovision.sh applies agree with the dispatcher's defaults.</summary>
public sealed class ManifestTests
{
    // The options cki-host and the Functions app build from the settings' defaults: what the manifests must match.
    private static readonly KubernetesDispatcherOptions Defaults = Cki.Workflow.Settings.KubernetesSettings.Options(
        new Cki.Workflow.Settings.WorkflowSettings { Dispatcher = DispatcherKind.Kubernetes, KubernetesServer = "https://aks.example", ComputeImage = "cki-compute" });

    private static string Manifest(string name) => RepositoryFiles.Read("infra", "k8s", name);

    [Fact]
    public void JobsManifest_ServiceAccount_TheDispatchersWithTheComputeClientId()
    {
        var manifest = Manifest("jobs.yaml");

        Assert.Contains("kind: Namespace", manifest, StringComparison.Ordinal);
        Assert.Contains($"kind: ServiceAccount\nmetadata:\n  name: {Defaults.ServiceAccount}\n", manifest, StringComparison.Ordinal);
        Assert.Contains("azure.workload.identity/client-id: __CLIENT_ID__", manifest, StringComparison.Ordinal);
    }

    [Fact]
    public void JobsManifest_Namespace_EnforcesTheRestrictedPodSecurityLevel()
    {
        var manifest = Manifest("jobs.yaml");
        var ns = manifest[..manifest.IndexOf("---", StringComparison.Ordinal)];

        Assert.Contains("kind: Namespace", ns, StringComparison.Ordinal);
        Assert.Contains("    pod-security.kubernetes.io/enforce: restricted\n", ns, StringComparison.Ordinal);
    }

    [Fact]
    public void DevicePlugin_Placement_TheGpuPoolAndItsTaint()
    {
        var manifest = Manifest("nvidia-device-plugin.yaml");
        var selector = Defaults.GpuNodeSelector.Single();

        Assert.Contains($"nodeSelector:\n        {selector.Key}: {selector.Value}\n", manifest, StringComparison.Ordinal);
        Assert.Contains($"- key: {Defaults.GpuTaintKey}\n          operator: Equal\n          value: {Defaults.GpuTaintValue}\n          effect: NoSchedule", manifest, StringComparison.Ordinal);
    }
}
