using Cki.Contracts.Jobs;

namespace Cki.Workflow.Dispatch;

/// <summary>
/// Options of the <c>kubernetes</c> dispatcher. The defaults match infra/bicep (the GPU pool's taint and label, the
/// jobs namespace and its workload-identity service account); the infrastructure tests check that they agree.
/// </summary>
public sealed record KubernetesDispatcherOptions
{
    /// <summary>The Entra ID application of the AKS API server: tokens for it carry this scope.</summary>
    public const string AksServerScope = "6dae42f8-4368-4678-94ff-3960e28e3630/.default";

    /// <summary>The API server, e.g. <c>https://{cluster fqdn}</c>.</summary>
    public required Uri Server { get; init; }

    /// <summary>PEM of the cluster's certificate authority (the API server's certificate is signed by it, not by a public CA); none trusts the system store.</summary>
    public string? CertificateAuthorityPem { get; init; }

    /// <summary>The compute image, e.g. <c>{registry}/cki-compute:{tag}</c>; its entrypoint is <c>cki-compute</c>.</summary>
    public required string Image { get; init; }

    /// <summary>The namespace of the jobs (the dispatcher's role is assigned there only).</summary>
    public required string Namespace { get; init; }

    /// <summary>The service account federated to the compute identity (workload identity).</summary>
    public required string ServiceAccount { get; init; }

    /// <summary>Key of the GPU pool's <c>NoSchedule</c> taint, which every job tolerates.</summary>
    public string GpuTaintKey { get; init; } = "cki.io/compute";

    /// <summary>Value of the GPU pool's taint.</summary>
    public string GpuTaintValue { get; init; } = "gpu";

    /// <summary>The GPU pool's node label, every job's node selector.</summary>
    public IReadOnlyDictionary<string, string> GpuNodeSelector { get; init; } = new Dictionary<string, string> { ["cki.io/pool"] = "gpu" };

    /// <summary>The kinds that train or evaluate and so get a GPU; the rest (profile, splice) stream on CPU.</summary>
    public IReadOnlySet<string> GpuKinds { get; init; } = new HashSet<string>(StringComparer.Ordinal) { JobKinds.Assess, JobKinds.Evaluate, JobKinds.Retrain };

    /// <summary>The extended resource of one GPU.</summary>
    public string GpuResource { get; init; } = "nvidia.com/gpu";

    /// <summary>CPU request of every job.</summary>
    public string CpuRequest { get; init; } = "2";

    /// <summary>Memory request of every job.</summary>
    public string MemoryRequest { get; init; } = "8Gi";

    /// <summary>Memory limit of every job (an overrun shows as OOMKilled in the probe).</summary>
    public string MemoryLimit { get; init; } = "16Gi";

    /// <summary>Running time after which Kubernetes stops a job (<c>activeDeadlineSeconds</c>): the run's job timeout.</summary>
    public TimeSpan JobTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a finished Job stays for the probe to read (<c>ttlSecondsAfterFinished</c>).</summary>
    public TimeSpan KeepFinished { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Most CKI Jobs of the namespace running or waiting for a node at once; more wait suspended, oldest first, so that
    /// a large fan-out queues instead of passing its deadlines while Pending. 0: no cap. infra/bicep sets what the GPU
    /// pool holds (one job per node).
    /// </summary>
    public int MaxJobsInFlight { get; init; }

    /// <summary>How long a cancel waits for the run's pods to be gone (their grace period is 30 s by default).</summary>
    public TimeSpan CancelWait { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>Tries of an API call in all while the server throttles (429), fails (5xx, 408), cannot be reached or does not answer.</summary>
    public int CallAttempts { get; init; } = 4;

    /// <summary>Wait before the first retry when the server does not say how long; doubled (with jitter) for each next one.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait a server's <c>Retry-After</c> gets.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one try of an API call may take.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks the options once.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Server, nameof(Server));
        ArgumentException.ThrowIfNullOrWhiteSpace(Image, nameof(Image));
        ArgumentException.ThrowIfNullOrWhiteSpace(Namespace, nameof(Namespace));
        ArgumentException.ThrowIfNullOrWhiteSpace(ServiceAccount, nameof(ServiceAccount));
        ArgumentOutOfRangeException.ThrowIfLessThan(CallAttempts, 1, nameof(CallAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CallTimeout, TimeSpan.Zero, nameof(CallTimeout));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxJobsInFlight, nameof(MaxJobsInFlight));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(JobTimeout, TimeSpan.Zero, nameof(JobTimeout));
        if (Server.Scheme != Uri.UriSchemeHttps && !Server.IsLoopback)
        {
            throw new ArgumentException($"The API server must be reached over https (got {Server}).", nameof(Server));
        }
    }
}
