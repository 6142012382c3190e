using Cki.Workflow.Orchestration;

namespace Cki.Host;

/// <summary>
/// The self-hosted host's settings (configuration section <c>Cki</c>: appsettings, environment <c>Cki__Storage</c>,
/// or <c>--Cki:Storage=...</c>). Defaults are the embedded default: Azurite's development account on this machine.
/// </summary>
public sealed record CkiHostOptions
{
    /// <summary>The development storage connection (Azurite on its default ports).</summary>
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    /// <summary>Storage connection string.</summary>
    public string Storage { get; init; } = DevelopmentStorage;

    /// <summary>The Durable Task hub's name (letters and digits).</summary>
    public string TaskHub { get; init; } = "CkiHub";

    /// <summary>Where the HTTP API listens (loopback only by default).</summary>
    public string Urls { get; init; } = "http://127.0.0.1:7071";

    /// <summary>The program that runs a job (<c>dotnet</c>, or a published <c>cki-compute</c>).</summary>
    public string ComputeCommand { get; init; } = "dotnet";

    /// <summary>Arguments before <c>job --spec</c>: the cki-compute DLL when the command is <c>dotnet</c>; found in the repository's build output when empty.</summary>
    public string? ComputeDll { get; init; }

    /// <summary>Jobs running at once.</summary>
    public int MaxConcurrentJobs { get; init; } = 2;

    /// <summary>Running time after which a job counts as hung.</summary>
    public double JobTimeoutSeconds { get; init; } = 3600;

    /// <summary>How long the run waits for a job's event before asking after it.</summary>
    public double ProbeIntervalSeconds { get; init; } = 10;

    /// <summary>Starts of one job at most.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Whether the blob triggers run (off: runs start only over HTTP or from the nightly schedule).</summary>
    public bool BlobTriggers { get; init; } = true;

    /// <summary>How often the blob poller lists the containers.</summary>
    public double PollSeconds { get; init; } = 1;

    /// <summary>How long a family must be quiet before a blob-triggered run starts (a <c>_READY</c> marker starts it at once; 0: no wait).</summary>
    public double SettleSeconds { get; init; } = 5;

    /// <summary>The nightly schedule (cron, 5 fields, UTC); empty turns it off.</summary>
    public string NightlySchedule { get; init; } = "0 2 * * *";

    /// <summary>The storage provider's partition lease: how long a crashed host's work waits before another host takes it.</summary>
    public double LeaseSeconds { get; init; } = 15;

    /// <summary>How long a message taken by a host that then crashed stays hidden before another host retries it.</summary>
    public double QueueVisibilitySeconds { get; init; } = 60;

    /// <summary>Where an Azurite this host starts keeps its data; empty keeps it in memory.</summary>
    public string AzuriteLocation { get; init; } = Path.Combine(".cache", "azurite");

    /// <summary>Folder of job logs.</summary>
    public string LogFolder { get; init; } = Path.Combine(".cache", "cki-host", "logs");

    /// <summary>
    /// The file holding the HTTP API's bearer token (made at first start, readable by this user only): state-changing
    /// calls send it as <c>Authorization: Bearer</c>.
    /// </summary>
    public string ApiTokenFile { get; init; } = Path.Combine(".cache", "cki-host", "api-token");

    /// <summary>The run settings the orchestrations get.</summary>
    public RunSettings RunSettings => new(JobTimeoutSeconds, ProbeIntervalSeconds, MaxAttempts);
}
