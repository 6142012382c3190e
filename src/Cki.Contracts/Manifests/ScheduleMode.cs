namespace Cki.Contracts.Manifests;

/// <summary>Whether the nightly schedule re-integrates a family (<c>schedule:</c>).</summary>
public enum ScheduleMode
{
    /// <summary>The nightly schedule re-integrates the family when its inputs changed.</summary>
    Nightly,

    /// <summary>Only explicit starts (a checkpoint upload or the HTTP API) integrate the family.</summary>
    Manual,
}
