using Cki.Workflow.Settings;

namespace Cki.Functions.Hosting;

/// <summary>
/// The names the Functions app's bindings and telemetry read. The workflow's settings themselves are the shared
/// <see cref="WorkflowSettings"/> record (section <c>Cki</c>, app settings <c>Cki__Name</c>), the same as cki-host's.
/// </summary>
public static class BindingSettings
{
    /// <summary>
    /// Connection of the blob triggers: the one storage connection, <c>CkiStorage</c> (a connection string, or
    /// <c>CkiStorage__blobServiceUri</c> and <c>CkiStorage__queueServiceUri</c> with the managed identity), which the
    /// workflow's own client reads too.
    /// </summary>
    public const string BlobTriggerConnection = StorageSetting.Name;

    /// <summary>The nightly schedule, as the timer trigger's binding expression reads it (<c>%Cki:NightlySchedule%</c>).</summary>
    public const string NightlySchedule = WorkflowSettings.Section + ":" + nameof(WorkflowSettings.NightlySchedule);

    /// <summary>Application Insights connection string; the Azure Monitor exporter runs only when it is set.</summary>
    public const string ApplicationInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";
}
