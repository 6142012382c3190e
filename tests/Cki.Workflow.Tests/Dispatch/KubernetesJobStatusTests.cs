using Cki.Workflow.Dispatch;
using k8s.Models;

namespace Cki.Workflow.Tests.Dispatch;

public sealed class KubernetesJobStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    private static V1Job Job(params V1JobCondition[] conditions) => new()
    {
        Metadata = new V1ObjectMeta { Name = "cki-x-1" },
        Spec = new V1JobSpec { ActiveDeadlineSeconds = 600 },
        Status = new V1JobStatus { Conditions = conditions },
    };

    private static V1Pod Pod(V1ContainerState state, string phase = "Running", V1PodCondition? condition = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "cki-x-1-abc", CreationTimestamp = Now.UtcDateTime },
        Spec = new V1PodSpec { NodeName = "aks-gpu-0" },
        Status = new V1PodStatus
        {
            Phase = phase,
            Conditions = condition is null ? [] : [condition],
            ContainerStatuses = [new V1ContainerStatus { Name = "cki-compute", State = state }],
        },
    };

    [Fact]
    public void Map_NoJob_Lost()
    {
        Assert.Equal(JobState.Lost, KubernetesJobStatus.Map(null, [], Timeout, Now).Probe.State);
    }

    [Fact]
    public void Map_Unscheduled_QueuedWithTheSchedulersReason()
    {
        var pod = Pod(new V1ContainerState(), "Pending", new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = "0/1 nodes are available" });

        var answer = KubernetesJobStatus.Map(Job(), [pod], Timeout, Now);

        Assert.Equal(JobState.Queued, answer.Probe.State);
        Assert.Contains("Unschedulable: 0/1 nodes are available", answer.Probe.Detail, StringComparison.Ordinal);
        Assert.False(answer.Delete);
    }

    [Fact]
    public void Map_ImagePullBackOff_CrashedWithReasonAndDeleted()
    {
        var pod = Pod(new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ImagePullBackOff", Message = "pull access denied" } }, "Pending");

        var answer = KubernetesJobStatus.Map(Job(), [pod], Timeout, Now);

        Assert.Equal(JobState.Exited, answer.Probe.State);
        Assert.Contains("ImagePullBackOff: pull access denied", answer.Probe.Detail, StringComparison.Ordinal);
        Assert.True(answer.Delete);
    }

    // A node drained or preempted under the pod is not a crash: the pod failure policy ignores it and the Job starts a new pod.
    [Fact]
    public void Map_PodDisruptedByTheCluster_QueuedNotCrashed()
    {
        var pod = Pod(new V1ContainerState { Terminated = new V1ContainerStateTerminated { Reason = "Error", ExitCode = 143 } }, "Failed",
            new V1PodCondition { Type = "DisruptionTarget", Status = "True", Reason = "PreemptionByScheduler", Message = "preempted" });

        var answer = KubernetesJobStatus.Map(Job(), [pod], Timeout, Now);

        Assert.Equal(JobState.Queued, answer.Probe.State);
        Assert.Contains("PreemptionByScheduler", answer.Probe.Detail, StringComparison.Ordinal);
        Assert.False(answer.Delete);
    }

    [Fact]
    public void Map_OomKilled_CrashedWithReasonAndExitCode()
    {
        var pod = Pod(new V1ContainerState { Terminated = new V1ContainerStateTerminated { Reason = "OOMKilled", ExitCode = 137 } }, "Failed");

        var answer = KubernetesJobStatus.Map(Job(new V1JobCondition { Type = "Failed", Status = "True", Reason = "BackoffLimitExceeded" }), [pod], Timeout, Now);

        Assert.Equal(JobState.Exited, answer.Probe.State);
        Assert.Contains("OOMKilled", answer.Probe.Detail, StringComparison.Ordinal);
        Assert.Contains("exit code 137", answer.Probe.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_DeadlineExceeded_TimedOut()
    {
        var answer = KubernetesJobStatus.Map(Job(new V1JobCondition { Type = "Failed", Status = "True", Reason = "DeadlineExceeded" }), [], Timeout, Now);

        Assert.Equal(JobState.TimedOut, answer.Probe.State);
    }

    [Fact]
    public void Map_RunningWithinTimeout_Running()
    {
        var pod = Pod(new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = Now.UtcDateTime.AddMinutes(-3) } });

        var answer = KubernetesJobStatus.Map(Job(), [pod], Timeout, Now);

        Assert.Equal(JobState.Running, answer.Probe.State);
        Assert.Contains("180 s", answer.Probe.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_RunningPastTimeout_TimedOutAndDeleted()
    {
        var pod = Pod(new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = Now.UtcDateTime.AddMinutes(-11) } });

        var answer = KubernetesJobStatus.Map(Job(), [pod], Timeout, Now);

        Assert.Equal(JobState.TimedOut, answer.Probe.State);
        Assert.True(answer.Delete);
    }

    [Fact]
    public void Map_Complete_Exited()
    {
        var answer = KubernetesJobStatus.Map(Job(new V1JobCondition { Type = "Complete", Status = "True" }), [], Timeout, Now);

        Assert.Equal(JobState.Exited, answer.Probe.State);
    }
}
