namespace Cki.Compute.Jobs;

/// <summary>What a job kind returns to the runner: its figures and the blob names it wrote.</summary>
/// <param name="Figures">Named figures for the result.</param>
/// <param name="Outputs">Blob names written.</param>
internal sealed record JobOutcome(IReadOnlyDictionary<string, double> Figures, IReadOnlyList<string> Outputs);
