using Cki.Contracts.Runs;

namespace Cki.Workflow.Messages;

/// <summary>
/// The phases of an integration run, in order, as its status (<see cref="RunStatus.Phase"/>), the timeline and the
/// dashboard name them; a run that has ended shows its outcome (<see cref="RunOutcomes"/>) as its phase.
/// </summary>
public static class RunPhases
{
    /// <summary>Checks the manifest and inputs and plans the run.</summary>
    public const string Validate = "validate";

    /// <summary>One profile job per input: digests and statistics.</summary>
    public const string Profile = "profile";

    /// <summary>Learned methods: assessment candidates, one per learning rate.</summary>
    public const string Assess = "assess";

    /// <summary>One splice job per shard.</summary>
    public const string Splice = "splice";

    /// <summary>The shards become one model with its card and provenance.</summary>
    public const string Assemble = "assemble";

    /// <summary>Every candidate on validation and test.</summary>
    public const string Evaluate = "evaluate";

    /// <summary>Optional retraining, with its compute-matched control.</summary>
    public const string Retrain = "retrain";

    /// <summary>The decide job compares the candidates on validation.</summary>
    public const string Decide = "decide";

    /// <summary>The report is written.</summary>
    public const string Report = "report";

    /// <summary><c>latest.json</c> moves to the run.</summary>
    public const string Publish = "publish";
}
