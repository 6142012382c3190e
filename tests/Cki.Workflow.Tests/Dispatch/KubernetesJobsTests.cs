using Cki.Contracts.Jobs;
using Cki.Workflow.Dispatch;

namespace Cki.Workflow.Tests.Dispatch;

public sealed class KubernetesJobsTests
{
    private static readonly KubernetesDispatcherOptions Options = new()
    {
        Server = new Uri("https://aks.example"),
        Image = "cr.example/cki-compute:1",
        Namespace = "cki-jobs",
        ServiceAccount = "cki-compute",
        JobTimeout = TimeSpan.FromMinutes(90),
        KeepFinished = TimeSpan.FromMinutes(30),
    };

    private static JobLaunch Launch(string kind, int attempt = 1) =>
        new("demo-0123456789abcdef", $"{kind}-1", attempt, new Uri("https://st.example/runs/demo-0123456789abcdef/jobs/x/spec.json")) { Kind = kind };

    [Fact]
    public void Build_AssessJob_GpuLimitTolerationSelectorIdentityNoRetries()
    {
        var job = KubernetesJobs.Build(Launch(JobKinds.Assess), Options);
        var pod = job.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);

        Assert.Equal("batch/v1", job.ApiVersion);
        Assert.Equal("cki-jobs", job.Metadata.NamespaceProperty);
        Assert.Equal(0, job.Spec.BackoffLimit);
        Assert.Equal(1800, job.Spec.TtlSecondsAfterFinished);
        Assert.Equal(5400, job.Spec.ActiveDeadlineSeconds);
        Assert.Equal("Never", pod.RestartPolicy);
        Assert.Equal("cki-compute", pod.ServiceAccountName);
        Assert.Equal("true", job.Spec.Template.Metadata.Labels["azure.workload.identity/use"]);
        Assert.Equal("cr.example/cki-compute:1", container.Image);
        Assert.Equal(["job", "--spec", "https://st.example/runs/demo-0123456789abcdef/jobs/x/spec.json"], container.Args);
        Assert.Equal("1", container.Resources.Limits["nvidia.com/gpu"].ToString());
        var toleration = Assert.Single(pod.Tolerations);
        Assert.Equal(("cki.io/compute", "Equal", "gpu", "NoSchedule"), (toleration.Key, toleration.OperatorProperty, toleration.Value, toleration.Effect));
        Assert.Equal("gpu", pod.NodeSelector["cki.io/pool"]);
    }

    [Theory]
    [InlineData(JobKinds.Profile)]
    [InlineData(JobKinds.Splice)]
    public void Build_StreamingJob_CpuAndMemoryOnlyNoGpu(string kind)
    {
        var container = KubernetesJobs.Build(Launch(kind), Options).Spec.Template.Spec.Containers[0];

        Assert.DoesNotContain("nvidia.com/gpu", container.Resources.Limits.Keys);
        Assert.Equal("2", container.Resources.Requests["cpu"].ToString());
        Assert.Equal("8Gi", container.Resources.Requests["memory"].ToString());
    }

    [Fact]
    public void Build_Labels_RunJobAttemptAndFullIdsAsAnnotations()
    {
        var job = KubernetesJobs.Build(Launch(JobKinds.Evaluate, attempt: 3), Options);

        Assert.Equal("demo-0123456789abcdef", job.Metadata.Labels[KubernetesJobs.RunLabel]);
        Assert.Equal("evaluate-1", job.Metadata.Labels[KubernetesJobs.JobLabel]);
        Assert.Equal("3", job.Metadata.Labels[KubernetesJobs.AttemptLabel]);
        Assert.Equal("demo-0123456789abcdef", job.Metadata.Annotations["cki.io/run-id"]);
        Assert.Equal(job.Metadata.Labels[KubernetesJobs.RunLabel], job.Spec.Template.Metadata.Labels[KubernetesJobs.RunLabel]);
        Assert.EndsWith("-3", job.Metadata.Name, StringComparison.Ordinal);
        Assert.NotEqual(job.Metadata.Name, KubernetesJobs.Name("demo-0123456789abcdef", "evaluate-1", 2));
    }

    [Fact]
    public void LabelValue_LongOrOddId_ShortSafeAndStable()
    {
        var id = new string('f', 70) + "/x y-0123456789abcdef";

        var value = KubernetesJobs.LabelValue(id);

        Assert.True(value.Length <= 63, value);
        Assert.Matches("^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$", value);
        Assert.Equal(value, KubernetesJobs.LabelValue(id));
        Assert.NotEqual(value, KubernetesJobs.LabelValue(id + "1"));
        Assert.Equal("plain-id", KubernetesJobs.LabelValue("plain-id"));
    }

    [Fact]
    public void Name_AnyIds_DnsSafeAndAtMost63()
    {
        var name = KubernetesJobs.Name(new string('A', 200), "splice-00001", 12);

        Assert.Matches("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", name);
        Assert.True(name.Length <= 63);
    }

    [Fact]
    public void Build_AnyJob_RestrictedPodSecurity()
    {
        var pod = KubernetesJobs.Build(Launch(JobKinds.Splice), Options).Spec.Template.Spec;
        var container = Assert.Single(pod.Containers).SecurityContext;

        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.True(container.RunAsNonRoot);
        Assert.False(container.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.Capabilities.Drop);
        Assert.Null(container.Capabilities.Add);
        Assert.Null(container.Privileged);
        Assert.Null(pod.HostNetwork);
        Assert.Null(pod.Volumes); // no hostPath or other volume (the workload-identity webhook adds its projected token)
    }

    [Fact]
    public void Build_AnyJob_NotEvictableByTheAutoscalerWhileRunning()
    {
        var job = KubernetesJobs.Build(Launch(JobKinds.Assess), Options);

        Assert.Equal("false", job.Spec.Template.Metadata.Annotations["cluster-autoscaler.kubernetes.io/safe-to-evict"]);
    }

    [Fact]
    public void Build_PodFailurePolicy_DisruptionIgnoredNonZeroExitFailsTheJob()
    {
        var rules = KubernetesJobs.Build(Launch(JobKinds.Assess), Options).Spec.PodFailurePolicy.Rules;

        Assert.Equal(2, rules.Count);
        Assert.Equal("Ignore", rules[0].Action);
        Assert.Equal(("DisruptionTarget", "True"), (Assert.Single(rules[0].OnPodConditions).Type, rules[0].OnPodConditions[0].Status));
        Assert.Equal("FailJob", rules[1].Action);
        Assert.Equal(("cki-compute", "NotIn"), (rules[1].OnExitCodes.ContainerName, rules[1].OnExitCodes.OperatorProperty));
        Assert.Equal([0], rules[1].OnExitCodes.Values);
        Assert.Equal(Assert.Single(KubernetesJobs.Build(Launch(JobKinds.Assess), Options).Spec.Template.Spec.Containers).Name, rules[1].OnExitCodes.ContainerName);
    }

    [Fact]
    public void Build_Cap_CreatedSuspendedElseNot()
    {
        Assert.True(KubernetesJobs.Build(Launch(JobKinds.Assess), Options with { MaxJobsInFlight = 2 }).Spec.Suspend);
        Assert.Null(KubernetesJobs.Build(Launch(JobKinds.Assess), Options).Spec.Suspend);
    }
}
