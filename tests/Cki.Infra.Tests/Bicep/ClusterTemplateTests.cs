using System.Text.Json.Nodes;

namespace Cki.Infra.Tests.Bicep;

public sealed class ClusterTemplateTests
{
    private readonly ArmTemplate _main = ArmTemplate.Load("main");

    private JsonObject Pool(string name) => (JsonObject)Assert.Single(
        _main.One("Microsoft.ContainerService/managedClusters").At("properties.agentPoolProfiles")!.AsArray(),
        p => (string)p!["name"]! == name)!;

    [Fact]
    public void Cluster_Identity_EntraRbacNoLocalAccountsOidcWorkloadIdentity()
    {
        var cluster = _main.One("Microsoft.ContainerService/managedClusters");

        Assert.True((bool)cluster.At("properties.aadProfile.managed")!);
        Assert.True((bool)cluster.At("properties.aadProfile.enableAzureRBAC")!);
        Assert.True((bool)cluster.At("properties.disableLocalAccounts")!);
        Assert.True((bool)cluster.At("properties.oidcIssuerProfile.enabled")!);
        Assert.True((bool)cluster.At("properties.securityProfile.workloadIdentity.enabled")!);
    }

    [Fact]
    public void GpuPool_Autoscaler_FromZeroUserModeVmSizeParameter()
    {
        var gpu = Pool("gpu");

        Assert.Equal("User", (string)gpu["mode"]!);
        Assert.True((bool)gpu["enableAutoScaling"]!);
        Assert.Equal(0, (int)gpu["minCount"]!);
        Assert.Equal(0, (int)gpu["count"]!);
        Assert.Equal("[parameters('gpuVmSize')]", (string)gpu["vmSize"]!);
        Assert.Equal("[parameters('gpuMaxCount')]", (string)gpu["maxCount"]!);
        Assert.Equal("[parameters('gpuVmSize')]", _main.Module("aks").Parameter("gpuVmSize")?.Trim('"'));
    }

    [Fact]
    public void GpuPool_Taint_NoScheduleThatTheDispatcherTolerates()
    {
        var taints = Pool("gpu")["nodeTaints"]!.AsArray().Select(t => _main.Module("aks").Resolve((string)t!)).ToList();
        var toleration = Cki.Workflow.Settings.KubernetesSettings.Options(new Cki.Workflow.Settings.WorkflowSettings { Dispatcher = Cki.Workflow.Dispatch.DispatcherKind.Kubernetes, KubernetesServer = "https://x", ComputeImage = "i" });

        var taint = Assert.Single(taints);
        Assert.Equal($"[variables('gpuTaint')]", taint);
        var value = (string)_main.Module("aks").Template["variables"]!["gpuTaint"]!;
        Assert.EndsWith(":NoSchedule", value, StringComparison.Ordinal);
        Assert.Equal($"{toleration.GpuTaintKey}={toleration.GpuTaintValue}:NoSchedule", value);
        var label = _main.Module("aks").Template["variables"]!["gpuPoolLabel"]!.AsObject().Single();
        Assert.Equal(toleration.GpuNodeSelector.Single().Key, label.Key);
        Assert.Equal(toleration.GpuNodeSelector.Single().Value, (string)label.Value!);
    }

    [Fact]
    public void SystemPool_Mode_SystemWithoutTheGpuLabel()
    {
        var system = Pool("system");

        Assert.Equal("System", (string)system["mode"]!);
        Assert.Null(system["nodeLabels"]); // the jobs select the GPU pool's label, so they never land here
    }

    // Rule reproduced: a taint. `az aks command invoke` (the postprovision hook) runs kubectl in a pod that tolerates no
    // NoSchedule or NoExecute taint; the scheduler places it only on a node without one. Some pool must have such a node
    // from the start (autoscaled pools at 0 add nodes only for pods that could land on them, so 0 does not count).
    [Fact]
    public void CommandInvokePod_NoTolerations_APoolWithANodeAndNoTaintTakesIt()
    {
        var pools = _main.One("Microsoft.ContainerService/managedClusters").At("properties.agentPoolProfiles")!.AsArray().Select(p => p!.AsObject()).ToList();

        Assert.NotEmpty(pools);
        Assert.Contains(pools, p =>
            (p["nodeTaints"]?.AsArray() ?? []).All(t => ((string)t!).EndsWith(":PreferNoSchedule", StringComparison.Ordinal))
            && (p["enableAutoScaling"] is JsonNode auto && (bool)auto ? (int)p["minCount"]! : (int)p["count"]!) >= 1);
    }

    [Fact]
    public void FederatedCredential_Subject_JobsServiceAccountOfTheClusterIssuer()
    {
        var credential = _main.One("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials");
        var module = _main.Module("workload-identity");

        Assert.Equal("[format('system:serviceaccount:{0}:{1}', parameters('jobsNamespace'), parameters('serviceAccount'))]", credential.Text("properties.subject"));
        Assert.Equal("api://AzureADTokenExchange", (string)credential.At("properties.audiences.0")!);
        Assert.Equal("[parameters('issuerUrl')]", credential.Text("properties.issuer"));
        Assert.Contains("oidcIssuerUrl", module.Parameter("issuerUrl"), StringComparison.Ordinal);
        Assert.Contains("'aks'", module.Parameter("issuerUrl"), StringComparison.Ordinal);
        Assert.Contains("computeIdentityName", module.Parameter("computeIdentityName"), StringComparison.Ordinal);
        Assert.Equal("\"cki-compute\"", _main.Module("cki-resources").Template["variables"]!["computeServiceAccount"]!.ToJsonString());
    }
}
