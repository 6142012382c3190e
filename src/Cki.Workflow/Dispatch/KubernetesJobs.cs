using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Cki.Workflow.Dispatch;

/// <summary>
/// The <c>batch/v1</c> Job of one attempt of one compute job, and the names and labels that find it again. Kubernetes
/// names and label values are short and restricted, run ids are not: a value that does not fit is cut and suffixed
/// with a hash, the same way every time, and the full ids ride along as annotations.
/// </summary>
public static partial class KubernetesJobs
{
    /// <summary>Label with the run id (label-safe form).</summary>
    public const string RunLabel = "cki.io/run";

    /// <summary>Label with the job id (label-safe form).</summary>
    public const string JobLabel = "cki.io/job";

    /// <summary>Label with the attempt number.</summary>
    public const string AttemptLabel = "cki.io/attempt";

    /// <summary>Label every CKI Job carries.</summary>
    public const string AppLabel = "app.kubernetes.io/name";

    /// <summary>Pod label that makes the workload-identity webhook inject the federated token.</summary>
    public const string WorkloadIdentityLabel = "azure.workload.identity/use";

    /// <summary>The value of <see cref="AppLabel"/> on every CKI Job.</summary>
    public const string AppName = "cki-compute";

    /// <summary>The label selector of every CKI Job of the namespace (what the jobs-in-flight cap counts).</summary>
    public const string AppSelector = AppLabel + "=" + AppName;

    /// <summary>Pod annotation that keeps the cluster autoscaler from evicting a running job to shrink the pool.</summary>
    public const string SafeToEvictAnnotation = "cluster-autoscaler.kubernetes.io/safe-to-evict";

    /// <summary>The container's name (its exit code decides the pod failure policy).</summary>
    public const string ContainerName = "cki-compute";

    /// <summary>The Job's name: <c>cki-{hash of run and job}-{attempt}</c> (at most 63 characters, DNS-safe).</summary>
    public static string Name(string runId, string jobId, int attempt) => $"cki-{Hash($"{runId}\n{jobId}")}-{attempt}";

    /// <summary>The label selector of every Job of a run.</summary>
    public static string RunSelector(string runId) => $"{RunLabel}={LabelValue(runId)}";

    /// <summary>The label selector of every attempt of one job.</summary>
    public static string JobSelector(string runId, string jobId) => $"{RunSelector(runId)},{JobLabel}={LabelValue(jobId)}";

    /// <summary>A label value for an id: itself when Kubernetes allows it, else its first characters and a hash.</summary>
    public static string LabelValue(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length <= 63 && LabelSafe().IsMatch(id))
        {
            return id;
        }

        var kept = Unsafe().Replace(id, "-");
        kept = kept[..Math.Min(kept.Length, 46)].Trim('-', '_', '.');
        return $"{kept}-{Hash(id)}".TrimStart('-');
    }

    /// <summary>The Job for an attempt.</summary>
    public static V1Job Build(JobLaunch launch, KubernetesDispatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ArgumentNullException.ThrowIfNull(options);
        var labels = new Dictionary<string, string>
        {
            [AppLabel] = AppName,
            [RunLabel] = LabelValue(launch.RunId),
            [JobLabel] = LabelValue(launch.JobId),
            [AttemptLabel] = launch.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var podLabels = new Dictionary<string, string>(labels) { [WorkloadIdentityLabel] = "true" };
        var annotations = new Dictionary<string, string> { ["cki.io/run-id"] = launch.RunId, ["cki.io/job-id"] = launch.JobId, ["cki.io/spec"] = launch.SpecUrl.ToString() };
        // A scale-down must not kill a job mid-way (hours of GPU work lost): the node waits until the pod ends.
        var podAnnotations = new Dictionary<string, string>(annotations) { [SafeToEvictAnnotation] = "false" };
        var requests = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(options.CpuRequest),
            ["memory"] = new(options.MemoryRequest),
        };
        var limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new(options.MemoryLimit) };
        if (launch.Kind is { } kind && options.GpuKinds.Contains(kind))
        {
            // Extended resources are requested through limits (a request equal to it is implied).
            limits[options.GpuResource] = new ResourceQuantity("1");
        }

        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = Name(launch.RunId, launch.JobId, launch.Attempt),
                NamespaceProperty = options.Namespace,
                Labels = labels,
                Annotations = annotations,
            },
            Spec = new V1JobSpec
            {
                // Retries belong to the orchestrator, which counts attempts and keeps each one's reason.
                BackoffLimit = 0,
                // With a cap on Jobs in flight, a Job waits suspended (no pod, and no clock: its active deadline starts
                // when the dispatcher resumes it) until there is room; see KubernetesDispatcher.
                Suspend = options.MaxJobsInFlight > 0 ? true : null,
                // A pod stopped by the cluster (node drained, preempted, evicted: condition DisruptionTarget) is not the
                // job's fault: the Job controller starts it again, uncounted. A container that exits non-zero fails the
                // Job at once, named as such, and the orchestrator decides about another attempt.
                PodFailurePolicy = new V1PodFailurePolicy
                {
                    Rules =
                    [
                        new V1PodFailurePolicyRule
                        {
                            Action = "Ignore",
                            OnPodConditions = [new V1PodFailurePolicyOnPodConditionsPattern { Type = "DisruptionTarget", Status = "True" }],
                        },
                        new V1PodFailurePolicyRule
                        {
                            Action = "FailJob",
                            OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { ContainerName = ContainerName, OperatorProperty = "NotIn", Values = [0] },
                        },
                    ],
                },
                TtlSecondsAfterFinished = (int)options.KeepFinished.TotalSeconds,
                ActiveDeadlineSeconds = (long)Math.Ceiling(options.JobTimeout.TotalSeconds),
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = podLabels, Annotations = podAnnotations },
                    Spec = new V1PodSpec
                    {
                        RestartPolicy = "Never",
                        // The restricted Pod Security level (the jobs namespace enforces it): never root, the default seccomp profile.
                        SecurityContext = new V1PodSecurityContext
                        {
                            RunAsNonRoot = true,
                            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                        },
                        ServiceAccountName = options.ServiceAccount,
                        NodeSelector = options.GpuNodeSelector.ToDictionary(p => p.Key, p => p.Value),
                        Tolerations =
                        [
                            new V1Toleration { Key = options.GpuTaintKey, OperatorProperty = "Equal", Value = options.GpuTaintValue, Effect = "NoSchedule" },
                        ],
                        Containers =
                        [
                            new V1Container
                            {
                                Name = ContainerName,
                                Image = options.Image,
                                SecurityContext = new V1SecurityContext
                                {
                                    RunAsNonRoot = true,
                                    AllowPrivilegeEscalation = false,
                                    Capabilities = new V1Capabilities { Drop = ["ALL"] },
                                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                                },
                                Args = ["job", "--spec", launch.SpecUrl.ToString()],
                                Resources = new V1ResourceRequirements { Requests = requests, Limits = limits },
                            },
                        ],
                    },
                },
            },
        };
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$")]
    private static partial Regex LabelSafe();

    [GeneratedRegex("[^A-Za-z0-9_.-]")]
    private static partial Regex Unsafe();
}
