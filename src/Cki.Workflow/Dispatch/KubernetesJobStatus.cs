using k8s.Models;

namespace Cki.Workflow.Dispatch;

/// <summary>A probe's answer and whether the dispatcher should delete the Job (it will never finish by itself, or ran too long).</summary>
/// <param name="Probe">The answer.</param>
/// <param name="Delete">Delete the Job (and its pod) now.</param>
public sealed record KubernetesProbe(JobProbe Probe, bool Delete);

/// <summary>Reads a Job and its pods as the dispatcher's states.</summary>
public static class KubernetesJobStatus
{
    // Waiting reasons after which a container never starts by itself: the attempt has crashed.
    private static readonly HashSet<string> StuckReasons = new(StringComparer.Ordinal)
    {
        "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError",
    };

    /// <summary>What became of the attempt, given its Job (null when there is none) and the Job's pods.</summary>
    public static KubernetesProbe Map(V1Job? job, IReadOnlyList<V1Pod> pods, TimeSpan timeout, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pods);
        if (job is null)
        {
            return new(new JobProbe(JobState.Lost, "no Job for it in the cluster (deleted, expired after its TTL, or never created)"), false);
        }

        var name = job.Metadata?.Name;
        var conditions = job.Status?.Conditions ?? [];
        var pod = pods.OrderByDescending(p => p.Metadata?.CreationTimestamp).FirstOrDefault();
        var failed = conditions.FirstOrDefault(c => c.Type == "Failed" && c.Status == "True");
        if (failed is not null)
        {
            return failed.Reason == "DeadlineExceeded"
                ? new(new JobProbe(JobState.TimedOut, $"Job {name} passed its active deadline ({job.Spec?.ActiveDeadlineSeconds} s) and was stopped"), false)
                : new(new JobProbe(JobState.Exited, $"Job {name} failed: {Describe(failed.Reason, failed.Message)}{Termination(pod)}"), false);
        }

        if (conditions.Any(c => c.Type == "Complete" && c.Status == "True"))
        {
            return new(new JobProbe(JobState.Exited, $"Job {name} completed{Termination(pod)}"), false);
        }

        if (pod is null)
        {
            return new(new JobProbe(JobState.Queued, $"Job {name} has no pod yet"), false);
        }

        if (pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "DisruptionTarget" && c.Status == "True") is { } disruption)
        {
            // Not the job's failure: the pod failure policy ignores it and the Job controller starts a new pod.
            return new(new JobProbe(JobState.Queued, $"pod {pod.Metadata?.Name} was stopped by the cluster ({Describe(disruption.Reason, disruption.Message)}); the Job starts it again"), false);
        }

        var container = pod.Status?.ContainerStatuses?.FirstOrDefault();
        if (container?.State?.Waiting is { } waiting && waiting.Reason is { } reason && StuckReasons.Contains(reason))
        {
            return new(new JobProbe(JobState.Exited, $"pod {pod.Metadata?.Name} cannot start: {Describe(reason, waiting.Message)}"), true);
        }

        if (container?.State?.Terminated is { } terminated)
        {
            return new(new JobProbe(JobState.Exited, $"pod {pod.Metadata?.Name} ended: {Describe(terminated.Reason, terminated.Message)} (exit code {terminated.ExitCode})"), false);
        }

        if (pod.Status?.Phase == "Pending" || container?.State?.Running is null)
        {
            var unscheduled = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False");
            return new(new JobProbe(JobState.Queued, unscheduled is null
                ? $"pod {pod.Metadata?.Name} is starting"
                : $"pod {pod.Metadata?.Name} waits for a node: {Describe(unscheduled.Reason, unscheduled.Message)}"), false);
        }

        var started = container.State.Running.StartedAt ?? job.Status?.StartTime;
        var running = started is { } at ? now - new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : TimeSpan.Zero;
        if (running > timeout)
        {
            return new(new JobProbe(JobState.TimedOut, $"pod {pod.Metadata?.Name} ran {running.TotalSeconds:F0} s, past its timeout of {timeout.TotalSeconds:F0} s; deleted"), true);
        }

        return new(new JobProbe(JobState.Running, $"pod {pod.Metadata?.Name} running for {running.TotalSeconds:F0} s on {pod.Spec?.NodeName}"), false);
    }

    private static string Termination(V1Pod? pod) =>
        pod?.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Terminated is { } t
            ? $" (pod {pod.Metadata?.Name}: {Describe(t.Reason, t.Message)}, exit code {t.ExitCode})"
            : "";

    private static string Describe(string? reason, string? message) =>
        string.IsNullOrWhiteSpace(message) ? reason ?? "no reason given" : $"{reason ?? "no reason"}: {message}";
}
