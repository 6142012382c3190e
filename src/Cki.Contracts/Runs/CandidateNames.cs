namespace Cki.Contracts.Runs;

/// <summary>The names of a decision's candidates (<see cref="DecisionCandidate.Name"/>), as every part spells them.</summary>
public static class CandidateNames
{
    /// <summary>The published model, evaluated again on this run's validation data.</summary>
    public const string Champion = "champion";

    /// <summary>The integrated model.</summary>
    public const string Integrated = "integrated";

    /// <summary>The integrated model after its retraining epochs.</summary>
    public const string Retrained = "retrained";

    /// <summary>
    /// The compute-matched control of the retrained model: the best input on validation, trained the same epochs on the
    /// same data, so that the report shows what integration added beyond the extra training.
    /// </summary>
    public const string Control = "control";

    /// <summary>The output ensemble of the inputs (K x inference cost).</summary>
    public const string Ensemble = "ensemble";

    /// <summary>An input: <c>input {source}</c>.</summary>
    public static string Input(string source) => "input " + source;

    /// <summary>A data-free baseline merge: <c>baseline {method}</c>.</summary>
    public static string Baseline(string method) => "baseline " + method;

    /// <summary>Whether a name is an input's.</summary>
    public static bool IsInput(string name) => name?.StartsWith("input ", StringComparison.Ordinal) == true;
}
