namespace Cki.Contracts.Jobs;

/// <summary>The names of job outputs that other steps look for in a job's folder.</summary>
public static class JobOutputs
{
    /// <summary>An evaluate job's validation logits and labels (safetensors), which the decide job compares.</summary>
    public const string ValidationPredictions = "validation-predictions.safetensors";

    /// <summary>The decide job's decision (<see cref="Runs.PromotionDecision"/>, JSON).</summary>
    public const string Decision = "decision.json";

    /// <summary>The output named <paramref name="file"/> among <paramref name="outputs"/> (blob names); null when absent.</summary>
    public static string? Find(IEnumerable<string> outputs, string file) =>
        outputs?.FirstOrDefault(o => o.EndsWith("/" + file, StringComparison.Ordinal));
}
