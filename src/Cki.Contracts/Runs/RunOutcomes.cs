namespace Cki.Contracts.Runs;

/// <summary>How a run ended (<see cref="RunSummary.Outcome"/>), in one place for the workflow, the report and the dashboard.</summary>
public static class RunOutcomes
{
    /// <summary>It published its chosen model.</summary>
    public const string Completed = "completed";

    /// <summary>The decision kept the champion: nothing was published.</summary>
    public const string Held = "held";

    /// <summary>A run of newer inputs had published first: its outputs stay in its own folder.</summary>
    public const string Superseded = "superseded";

    /// <summary>It failed; nothing was published.</summary>
    public const string Failed = "failed";

    /// <summary>Whether a run of <paramref name="outcome"/> has a report in its output folder.</summary>
    public static bool Reported(string? outcome) => outcome is Completed or Superseded or Held;
}
