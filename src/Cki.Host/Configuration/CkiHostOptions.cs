using Cki.Workflow.Settings;

namespace Cki.Host.Configuration;

/// <summary>
/// cki-host's settings: the workflow's settings shared with the Functions app (<see cref="WorkflowSettings"/>) and the
/// few only a self-hosted host has (its task hub, address, polling, the Durable backend's lease and Azurite). Read from
/// the <c>Cki</c> section (environment <c>Cki__Name</c>, or <c>--Cki:Name=value</c>). Defaults are the embedded
/// default: Azurite's development account on this machine.
/// </summary>
public sealed record CkiHostOptions : WorkflowSettings
{
    /// <summary>
    /// The storage connection string (the self-hosted Durable backend needs one: Azurite, or an account key). The
    /// workflow's client and every local job get it; it is the host's <c>CkiStorage</c> connection.
    /// </summary>
    public string Storage { get; init; } = StorageSetting.DevelopmentStorage;

    /// <summary>The Durable Task hub's name (letters and digits).</summary>
    public string TaskHub { get; init; } = "CkiHub";

    /// <summary>Where the HTTP API listens (loopback only by default).</summary>
    public string Urls { get; init; } = "http://127.0.0.1:7071";

    /// <summary>Whether the blob triggers run (off: runs start only over HTTP or from the nightly schedule).</summary>
    public bool BlobTriggers { get; init; } = true;

    /// <summary>How often the blob poller lists the containers.</summary>
    public double PollSeconds { get; init; } = 1;

    /// <summary>The storage provider's partition lease: how long a crashed host's work waits before another host takes it.</summary>
    public double LeaseSeconds { get; init; } = 15;

    /// <summary>How long a message taken by a host that then crashed stays hidden before another host retries it.</summary>
    public double QueueVisibilitySeconds { get; init; } = 60;

    /// <summary>Where an Azurite this host starts keeps its data; empty keeps it in memory.</summary>
    public string AzuriteLocation { get; init; } = Path.Combine(".cache", "azurite");

    /// <summary>
    /// The file holding the HTTP API's bearer token (made at first start, readable by this user only): state-changing
    /// calls send it as <c>Authorization: Bearer</c>.
    /// </summary>
    public string ApiTokenFile { get; init; } = Path.Combine(".cache", "cki-host", "api-token");

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        Require(!string.IsNullOrWhiteSpace(Storage), nameof(Storage), "a storage connection string", Storage);
        Require(System.Text.RegularExpressions.Regex.IsMatch(TaskHub, "^[A-Za-z][A-Za-z0-9]{2,44}$"), nameof(TaskHub), "3 to 45 letters and digits, a letter first", TaskHub);
        Require(PollSeconds > 0 && double.IsFinite(PollSeconds), nameof(PollSeconds), "a positive number of seconds", PollSeconds);
        Require(LeaseSeconds > 0 && double.IsFinite(LeaseSeconds), nameof(LeaseSeconds), "a positive number of seconds", LeaseSeconds);
        Require(QueueVisibilitySeconds > 0 && double.IsFinite(QueueVisibilitySeconds), nameof(QueueVisibilitySeconds), "a positive number of seconds", QueueVisibilitySeconds);
        Require(Uri.TryCreate(Urls, UriKind.Absolute, out _), nameof(Urls), "an absolute http URL such as http://127.0.0.1:7071", Urls);
    }
}
