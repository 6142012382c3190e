using Cki.Workflow.Dispatch;
using Cki.Workflow.Messages;

namespace Cki.Workflow.Settings;

/// <summary>
/// The workflow's settings, one record for both hosts: configuration section <c>Cki</c> (environment variables
/// <c>Cki__Name</c>, the Functions app's settings of that name, cki-host's <c>--Cki:Name=value</c>). Every default is
/// here and nowhere else; <see cref="Validate"/> names the setting that is wrong.
/// </summary>
public record WorkflowSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Cki";

    /// <summary>The largest <see cref="JobsPerBatch"/>: a batch's history holds about ten events per job.</summary>
    public const int MaxJobsPerBatch = 1000;

    /// <summary>Running time in seconds after which a job counts as hung.</summary>
    public double JobTimeoutSeconds { get; init; } = 3600;

    /// <summary>How long a run waits for a job's event before asking the dispatcher about it.</summary>
    public double ProbeIntervalSeconds { get; init; } = 10;

    /// <summary>Starts of one job at most.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>How long a family must be quiet before a blob-triggered run starts (a <c>_READY</c> marker starts it at once; 0: no wait).</summary>
    public double SettleSeconds { get; init; } = 5;

    /// <summary>The nightly re-integration: NCRONTAB with six fields (seconds first), UTC; empty turns it off in cki-host.</summary>
    public string NightlySchedule { get; init; } = NightlyCron.Default;

    /// <summary>Which dispatcher runs compute jobs: <c>local</c> (child processes) or <c>kubernetes</c> (Jobs on AKS).</summary>
    public DispatcherKind Dispatcher { get; init; } = DispatcherKind.Local;

    /// <summary>The program the local dispatcher runs for a job (<c>dotnet</c>, or a published <c>cki-compute</c>).</summary>
    public string ComputeCommand { get; init; } = "dotnet";

    /// <summary>
    /// Arguments before <c>job --spec &lt;url&gt;</c>, separated by <c>;</c> (the path of <c>cki-compute.dll</c> when the
    /// command is <c>dotnet</c>; cki-host finds it in the repository's build output when empty).
    /// </summary>
    public string? ComputeArguments { get; init; }

    /// <summary>Jobs the local dispatcher runs at once (and, with workers, the most warm workers it keeps).</summary>
    public int MaxConcurrentJobs { get; init; } = 2;

    /// <summary>
    /// How the local dispatcher runs a job: <c>workers</c> (warm <c>cki-compute worker</c> processes, each running jobs one
    /// after another, no process start per job) or <c>processes</c> (a <c>cki-compute job</c> process per job, as on Kubernetes).
    /// </summary>
    public LocalJobMode LocalJobs { get; init; } = LocalJobMode.Workers;

    /// <summary>Seconds a warm worker of the local dispatcher waits without a job before it exits.</summary>
    public double WorkerIdleSeconds { get; init; } = 300;

    /// <summary>
    /// Jobs of one phase that one orchestration history holds: a phase with more jobs (splicing with many shards) runs
    /// them in batches of this many, each its own orchestration instance, one batch after another, so that no history (and no
    /// replay) grows with the shard count (docs/scale.md). A multiple of the job concurrency keeps every worker busy to
    /// the end of each batch.
    /// </summary>
    public int JobsPerBatch { get; init; } = 100;

    /// <summary>Folder of the local dispatcher's job logs (<c>{run}/{job}.attempt{n}.log</c>); empty: none.</summary>
    public string? LogFolder { get; init; } = Path.Combine(".cache", "cki", "logs");

    /// <summary>The Kubernetes API server URL (<c>https://{cluster fqdn}</c>) of the kubernetes dispatcher.</summary>
    public string? KubernetesServer { get; init; }

    /// <summary>The namespace of the compute Jobs.</summary>
    public string KubernetesNamespace { get; init; } = "cki-jobs";

    /// <summary>The cluster's certificate authority (public) as PEM or base64 of the PEM; the system's authorities when unset.</summary>
    public string? KubernetesCertificateAuthority { get; init; }

    /// <summary>The compute image the Jobs run (<c>{registry}/cki-compute:{tag}</c>).</summary>
    public string? ComputeImage { get; init; }

    /// <summary>
    /// Most Jobs the kubernetes dispatcher has running or waiting for a node at once (more wait suspended, oldest first);
    /// 0: no cap. The Azure deployment sets what its GPU pool holds.
    /// </summary>
    public int MaxJobsInFlight { get; init; }

    /// <summary>The service account of the Jobs, federated to the compute identity.</summary>
    public string ComputeServiceAccount { get; init; } = "cki-compute";

    /// <summary>Whether <see cref="Dispatcher"/> names the kubernetes dispatcher.</summary>
    public bool UsesKubernetes => Dispatcher == DispatcherKind.Kubernetes;

    /// <summary>The job waiting settings the orchestrations get.</summary>
    public RunSettings RunSettings => new(JobTimeoutSeconds, ProbeIntervalSeconds, MaxAttempts, JobsPerBatch, GroupedStarts: true);

    /// <summary>The arguments of <see cref="ComputeArguments"/>, split.</summary>
    public IReadOnlyList<string> ComputeArgumentList =>
        (ComputeArguments ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Checks every shared setting once; an error naming the first that is wrong and what it expects.</summary>
    /// <exception cref="SettingsException">A setting is out of range or malformed.</exception>
    public virtual void Validate()
    {
        Require(JobTimeoutSeconds > 0 && double.IsFinite(JobTimeoutSeconds), nameof(JobTimeoutSeconds), "a positive number of seconds", JobTimeoutSeconds);
        Require(ProbeIntervalSeconds > 0 && double.IsFinite(ProbeIntervalSeconds), nameof(ProbeIntervalSeconds), "a positive number of seconds", ProbeIntervalSeconds);
        Require(MaxAttempts >= 1, nameof(MaxAttempts), "at least 1", MaxAttempts);
        Require(SettleSeconds >= 0 && double.IsFinite(SettleSeconds), nameof(SettleSeconds), "0 or more seconds", SettleSeconds);
        Require(MaxConcurrentJobs >= 1, nameof(MaxConcurrentJobs), "at least 1", MaxConcurrentJobs);
        Require(MaxJobsInFlight >= 0, nameof(MaxJobsInFlight), "0 (no cap) or more", MaxJobsInFlight);
        Require(JobsPerBatch is >= 1 and <= MaxJobsPerBatch, nameof(JobsPerBatch), $"1 to {MaxJobsPerBatch} jobs", JobsPerBatch);
        Require(Enum.IsDefined(Dispatcher), nameof(Dispatcher), "'local' or 'kubernetes'", Dispatcher);
        Require(Enum.IsDefined(LocalJobs), nameof(LocalJobs), "'workers' or 'processes'", LocalJobs);
        Require(WorkerIdleSeconds > 0 && double.IsFinite(WorkerIdleSeconds), nameof(WorkerIdleSeconds), "a positive number of seconds", WorkerIdleSeconds);
        Require(!string.IsNullOrWhiteSpace(ComputeCommand), nameof(ComputeCommand), "the program that runs a job, e.g. 'dotnet'", ComputeCommand);
        if (!string.IsNullOrWhiteSpace(NightlySchedule))
        {
            NightlyCron.Parse(NightlySchedule, $"{Section}:{nameof(NightlySchedule)}");
        }
    }

    /// <summary>Throws a <see cref="SettingsException"/> naming <paramref name="name"/> unless <paramref name="holds"/>.</summary>
    protected static void Require(bool holds, string name, string expected, object? value)
    {
        if (!holds)
        {
            throw new SettingsException($"{Section}:{name}: expected {expected}; got '{value}'.");
        }
    }

    /// <summary>The local dispatcher's options from these settings (its arguments as given).</summary>
    public LocalDispatcherOptions LocalDispatcher(IReadOnlyDictionary<string, string> jobEnvironment, Action? jobExited = null) => new()
    {
        Command = ComputeCommand,
        Arguments = ComputeArgumentList,
        MaxConcurrentJobs = MaxConcurrentJobs,
        Jobs = LocalJobs,
        WorkerIdleSeconds = WorkerIdleSeconds,
        Environment = jobEnvironment,
        LogFolder = string.IsNullOrWhiteSpace(LogFolder) ? null : Path.GetFullPath(LogFolder),
        JobExited = jobExited,
    };
}
