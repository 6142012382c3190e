namespace Cki.Contracts.Manifests;

/// <summary>The task names a family manifest may give in <c>task:</c>.</summary>
public static class ManifestTasks
{
    /// <summary>Data-free: no task model, no local assessment, no evaluation.</summary>
    public const string None = "none";

    /// <summary>The synthetic task of the demo and the tests.</summary>
    public const string Synthetic = "synthetic";

    /// <summary>MovieLens click-through prediction; needs the <c>ratings</c> and <c>movies</c> data.</summary>
    public const string MovieLens = "movielens";

    /// <summary>Sentiment heads on a frozen encoder's cached features; needs the <c>features</c> data (a features safetensors file).</summary>
    public const string Sentiment = "sentiment";

    /// <summary>Every task name, in the order messages list them.</summary>
    public static IReadOnlyList<string> Names { get; } = [None, Synthetic, MovieLens, Sentiment];
}
